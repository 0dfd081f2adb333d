// Okno's booking page, enhanced: the same server-rendered screens, swapped
// in place without reloads; times also in the visitor's own zone; the list
// refreshed when the tab comes back. Without this script everything works.
(function () {
  'use strict';
  if (!window.fetch || !window.DOMParser || !window.history.pushState) return;

  var main = document.getElementById('main');
  if (!main) return;
  var busy = false;

  function visitorZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return null; }
  }

  // A range of <time datetime="…"> in Olga's zone gets the same range in
  // the visitor's zone beside it, when the two differ.
  function addLocalTimes(root) {
    var zone = visitorZone();
    var page = document.documentElement.getAttribute('data-zone');
    if (!zone || !page || zone === page) return;
    var lang = document.documentElement.lang || 'ru';
    var fmt = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
    var label = document.documentElement.getAttribute('data-local-label') || 'your time';
    root.querySelectorAll('[data-range]').forEach(function (range) {
      if (range.querySelector('.local')) return;
      var times = range.querySelectorAll('time');
      if (times.length !== 2) return;
      var a = new Date(times[0].getAttribute('datetime'));
      var b = new Date(times[1].getAttribute('datetime'));
      if (isNaN(a) || isNaN(b)) return;
      var span = document.createElement('span');
      span.className = 'local';
      span.textContent = ' · ' + label + ' ' + fmt.format(a) + '–' + fmt.format(b);
      range.appendChild(span);
    });
  }

  function show(html, url, push) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var next = doc.getElementById('main');
    if (!next) { window.location.href = url; return; }
    main.innerHTML = next.innerHTML;
    document.title = doc.title;
    if (push) history.pushState({ okno: true }, '', url);
    addLocalTimes(main);
    var focus = main.querySelector('[aria-invalid="true"], h1, h2');
    if (focus) { if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1'); focus.focus(); }
  }

  function load(url, options, push) {
    if (busy) return;
    busy = true;
    main.setAttribute('aria-busy', 'true');
    fetch(url, options || { credentials: 'same-origin' })
      .then(function (r) { return r.text().then(function (t) { return { url: r.url, text: t }; }); })
      .then(function (r) { show(r.text, r.url, push); })
      .catch(function () { window.location.href = url; })
      .then(function () { busy = false; main.removeAttribute('aria-busy'); });
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-swap]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    load(a.href, null, true);
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute('data-swap')) return;
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    load(form.action, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }
    }, true);
  });

  window.addEventListener('popstate', function () { load(location.href, null, false); });

  // Back to the tab: the list may have changed meanwhile.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && main.querySelector('[data-slot-list]')) {
      load(location.href, null, false);
    }
  });

  addLocalTimes(document);
})();
