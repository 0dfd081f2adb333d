// page-reschedule.mjs OKNO_SERVER: changing the time on the public page
// (issue 13.1) at phone size, with JavaScript on (in place) and off (plain
// forms and a 303): book, open the confirmation, «Изменить время», pick
// another time with one click; the server's state is checked after each
// step, and at the end with `okno-server bookings list --json` (the booking
// on its new slot, its history booked → moved). Also: 44 px touch targets
// and axe on each screen. TAP output.
// SPDX-License-Identifier: GPL-3.0-or-later
import { join } from 'node:path';
import { Okno, ok, same, launch, audit, assertTouchTargets, finish, shots } from './page-common.mjs';

const okno = new Okno(process.argv[2]);

function day(offset, time) {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toISOString().slice(0, 10) + 'T' + time;
}

okno.cli('settings', 'set', 'time-zone', 'Europe/Moscow');
okno.cli('settings', 'set', 'rate-limit', '0');
okno.cli('settings', 'set', 'contact', '@olga_rozet');
for (let i = 0; i < 6; i++) okno.cli('slots', 'add', '--start', day(3 + i, '10:00'), '--title', 'Разбор');

const base = await okno.start();
const browser = await launch();
const helper = await browser.newContext({ locale: 'ru-RU' });
const moves = {};

async function flow(js) {
  const label = js ? 'js' : 'nojs';
  const before = await okno.openSlotIds();
  const slotId = before[js ? 0 : 1];
  const r = await okno.api('/api/book', { slotId, name: 'Анна', telegram: '@anna_k' });
  same(r.status, 201, `${label}: a booking to move`);
  const booking = r.json.booking;
  ok(typeof booking.rescheduleUrl === 'string' && booking.rescheduleUrl.includes(booking.id),
    `${label}: the booking JSON has its rescheduleUrl`);

  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(booking.cancelUrl);
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  await page.locator('a', { hasText: 'Изменить время' }).click();
  await page.locator('h1', { hasText: 'Изменить время' }).waitFor();
  same(await page.locator(`input[name=slot][value="${slotId}"]`).count(), 0, `${label}: its own time is not offered`);
  const offered = await page.locator('input[name=slot]').count();
  ok(offered >= 3, `${label}: the open times are offered (${offered})`);
  ok(!(await okno.openSlotIds()).includes(slotId), `${label}: looking changed nothing: the old slot is still booked`);
  await assertTouchTargets(page, `${label} change time`);
  await audit(page, `${label} change time`, js ? null : helper);
  await page.screenshot({ path: join(shots, `page-reschedule-${label}.png`), fullPage: true });

  // One click moves it.
  const target = await page.locator('input[name=slot]').last().getAttribute('value');
  await page.locator('button.slot').last().click();
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  same(new URL(page.url()).pathname, new URL(booking.cancelUrl).pathname, `${label}: back on the same booking's confirmation`);
  same(new URL(page.url()).searchParams.get('token'), new URL(booking.cancelUrl).searchParams.get('token'), `${label}: with the same token`);
  const open = await okno.openSlotIds();
  ok(open.includes(slotId), `${label}: the old slot is open again`);
  ok(!open.includes(target), `${label}: the new slot is booked`);
  await assertTouchTargets(page, `${label} moved`);
  await audit(page, `${label} moved`, js ? null : helper);
  ok(js ? loads === 1 : loads >= 3, `${label}: ${js ? 'one page load for the whole flow' : 'plain page loads'} (${loads})`);
  moves[label] = { id: booking.id, from: slotId, to: target };
  await context.close();
}

try {
  await flow(true);
  await flow(false);

  // The JSON API: one request moves it, same id and token.
  const [a, b] = await okno.openSlotIds();
  const r = await okno.api('/api/book', { slotId: a, name: 'Борис', telegram: '@boris_k' });
  const m = await okno.api('/api/reschedule', { bookingId: r.json.booking.id, token: r.json.cancelToken, slotId: b });
  same(m.status, 200, '/api/reschedule moves in one request');
  same(m.json.booking && m.json.booking.id, r.json.booking.id, '/api/reschedule: the same booking id');
  moves.api = { id: r.json.booking.id, from: a, to: b };
  const wrong = await okno.api('/api/reschedule', { bookingId: r.json.booking.id, token: 'nope', slotId: a });
  same(wrong.status, 403, '/api/reschedule: a wrong token is 403');
} catch (e) {
  ok(false, 'the flows ran to the end', e.stack);
} finally {
  await browser.close();
  await okno.stop();
}

// The ledger, read back by the CLI once the server has stopped.
try {
  const list = JSON.parse(okno.cli('bookings', 'list', '--json'));
  for (const [label, move] of Object.entries(moves)) {
    const b = list.filter((x) => x.id === move.id);
    same(b.length === 1 && b[0].slotId, move.to, `ledger: the ${label} booking is on its new slot, once`);
    const h = b.length === 1 ? b[0].history : [];
    same(h.map((e) => e.event).join(','), 'booked,moved', `ledger: the ${label} booking's history is booked, moved`);
    ok(h.length === 2 && h[1].from.slotId === move.from && h[1].to.slotId === move.to && !!h[1].at,
      `ledger: the ${label} move names its old and new slot and when`);
  }
} catch (e) {
  ok(false, 'bookings list --json reads the ledger', e.stack);
}
okno.remove();
finish();
