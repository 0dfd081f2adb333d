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

  // The visitor's zone by its city: in Russian the browser's own name up
  // to its comma («Москва, стандартное время»), else the zone's name.
  function cityOf(zone, lang) {
    if (/^(Etc\/)?UTC$/.test(zone)) return 'UTC';
    if (lang !== 'en') {
      try {
        var name = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'long' }).formatToParts(new Date())
          .filter(function (p) { return p.type === 'timeZoneName'; })[0].value.split(',')[0];
        if (!/^(GMT|UTC)/.test(name)) return name;
      } catch (e) { /* the zone's name below */ }
    }
    return zone.split('/').pop().replace(/_/g, ' ');
  }

  function dayKey(date, zone) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  }

  // «чт 3 дек», "Thu 3 Dec"
  function shortDay(date, zone, lang) {
    var parts = {};
    new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' })
      .formatToParts(date).forEach(function (p) { parts[p.type] = p.value.replace(/\.$/, ''); });
    return parts.weekday + ' ' + parts.day + ' ' + parts.month;
  }

  // Each [data-when] holds a range of <time datetime="…"> in Olga's zone;
  // its [data-local] gets the same range in the visitor's zone, named by
  // its city, with the visitor's date where it is another day than Olga's:
  // «у вас (Москва): чт 3 дек, 23:00–00:00».
  function addLocalTimes(root) {
    var zone = visitorZone();
    var page = document.documentElement.getAttribute('data-zone');
    if (!zone || !page || zone === page) return;
    var lang = document.documentElement.lang || 'ru';
    var fmt = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
    var olga = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: page });
    var label = (document.documentElement.getAttribute('data-local-label') || 'your time (%s)').replace('%s', cityOf(zone, lang));
    root.querySelectorAll('[data-when]').forEach(function (when) {
      var local = when.querySelector('[data-local]');
      var times = when.querySelectorAll('[data-range] time');
      if (!local || local.textContent || times.length !== 2) return;
      var a = new Date(times[0].getAttribute('datetime'));
      var b = new Date(times[1].getAttribute('datetime'));
      if (isNaN(a) || isNaN(b)) return;
      var otherDay = dayKey(a, zone) !== dayKey(a, page);
      if (!otherDay && fmt.format(a) === olga.format(a)) return;
      local.textContent = label + ': ' + (otherDay ? shortDay(a, zone, lang) + ', ' : '') + fmt.format(a) + '–' + fmt.format(b);
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
      .then(function (r) { return r.text().then(function (t) { return { url: r.url, text: t, redirected: r.redirected }; }); })
      // A POST answered in place (a question, a form with its errors) has no
      // address of its own: the bar keeps the one it had.
      .then(function (r) { show(r.text, r.url, push && (!options || !options.method || r.redirected)); })
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
