// tab-return.mjs OKNO_SERVER: the list refreshes when its tab comes back
// (issue 14), with the browser really hiding and showing the tab: a second
// tab brought to the front hides the page (visibilityState "hidden"), the
// page's tab brought back shows it again; a slot booked through the API
// meanwhile leaves the list without a reload. Chromium is driven over its
// own DevTools pipe (cdp-pipe.mjs says why not through Playwright). TAP.
// SPDX-License-Identifier: GPL-3.0-or-later
import { Okno, ok, same, finish } from './page-common.mjs';
import { Chromium } from './cdp-pipe.mjs';

const okno = new Okno(process.argv[2]);

function day(offset, time) {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toISOString().slice(0, 10) + 'T' + time;
}

okno.cli('settings', 'set', 'time-zone', 'Europe/Moscow');
okno.cli('settings', 'set', 'rate-limit', '0');
for (let i = 0; i < 4; i++) okno.cli('slots', 'add', '--start', day(2 + i, '06:00'), '--title', 'Включить в дело');

const base = await okno.start();
const chromium = new Chromium();
const slotLinks = "document.querySelectorAll('a.slot')";

try {
  await chromium.launch();
  const page = await chromium.newTab(base + '/?lang=ru');
  ok(await chromium.waitFor(page, `document.readyState === 'complete' && ${slotLinks}.length === 4`),
     'the list shows the four open slots');
  // Each change of visibility, as the page sees it; and a mark a reload would lose.
  await chromium.evaluate(page, `window.__seen = []; window.__sameDocument = true;
    document.addEventListener('visibilitychange', () => __seen.push(document.visibilityState)); 0`);
  same(await chromium.evaluate(page, 'document.visibilityState'), 'visible', 'the page is visible in its tab');

  // Another tab in front: the browser hides the page.
  const other = await chromium.newTab('about:blank');
  await chromium.activate(other);
  ok(await chromium.waitFor(page, "document.visibilityState === 'hidden'"), 'another tab in front hides the page',
     await chromium.evaluate(page, 'document.visibilityState'));

  // Meanwhile a slot is booked.
  const first = (await okno.openSlotIds())[0];
  const r = await okno.api('/api/book', { slotId: first, name: 'Борис', telegram: '@boris_k' });
  same(r.status, 201, 'a booking through the API while the tab is hidden');
  same(await chromium.evaluate(page, `${slotLinks}.length`), 4, 'the hidden list has not changed by itself');

  // Back to the page's tab: shown again, and the list refreshed in place.
  await chromium.activate(page);
  ok(await chromium.waitFor(page, "document.visibilityState === 'visible'"), 'its tab in front shows the page again');
  const refreshed = await chromium.waitFor(page, `${slotLinks}.length === 3 &&
    !document.querySelector('a.slot[href*="slot=${first}"]') && !document.getElementById('main').hasAttribute('aria-busy')`);
  ok(refreshed, 'the list refreshes when the tab comes back: the booked slot is gone',
     await chromium.evaluate(page, `${slotLinks}.length`));
  same(JSON.stringify(await chromium.evaluate(page, '__seen')), '["hidden","visible"]',
       'the page saw the browser hide it and show it again');
  same(await chromium.evaluate(page, 'window.__sameDocument'), true, 'without a reload');
} catch (e) {
  ok(false, 'the flow ran to the end', e.stack);
} finally {
  await chromium.close();
  await okno.stop();
  okno.remove();
}
finish();
