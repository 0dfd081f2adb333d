// page-too-late.mjs OKNO_SERVER: the cancellation policy as a client on a
// phone meets it (issue 13.2), with JavaScript on and off: a session that
// starts in a few hours (inside min-cancel-hours, 24 by default) shows its
// confirmation without «Отменить запись» or «Изменить время», says why and
// gives Olga's contact; the change-time page of an old link answers 409
// with the same; the cancel form sent anyway is 409 and changes nothing.
// The server's state is checked after each step, and at the end with
// `okno-server bookings list --json`; then Olga cancels on the command line,
// which the policy never stops. axe and 44 px touch targets on each screen.
// TAP output.
// SPDX-License-Identifier: GPL-3.0-or-later
import { join } from 'node:path';
import { Okno, ok, same, launch, audit, assertTouchTargets, finish, shots } from './page-common.mjs';

const okno = new Okno(process.argv[2]);
const CONTACT = '@olga_rozet';

// Moscow time (no DST), with its offset: okno-server takes it as is.
function moscow(ms) {
  const d = new Date(Math.ceil(ms / 600000) * 600000 + 3 * 3600000);
  return d.toISOString().slice(0, 16) + '+03:00';
}

okno.cli('settings', 'set', 'time-zone', 'Europe/Moscow');
okno.cli('settings', 'set', 'rate-limit', '0');
okno.cli('settings', 'set', 'contact', CONTACT);
same(okno.cli('settings', 'get', 'min-cancel-hours').trim(), '24', 'min-cancel-hours is 24 by default');
// Two sessions soon (5 and 6 hours ahead: bookable, past the 2 h notice,
// inside the 24 h policy) and one in three days to try to move to.
for (const hours of [5, 6, 72]) {
  okno.cli('slots', 'add', '--start', moscow(Date.now() + hours * 3600000), '--title', 'Разбор');
}

const base = await okno.start();
const browser = await launch();
const helper = await browser.newContext({ locale: 'ru-RU' });
const bookings = {};

async function active(id) {
  // Still booked: its slot is not offered.
  return !(await okno.openSlotIds()).includes(bookings[id]);
}

async function flow(js) {
  const label = js ? 'js' : 'nojs';
  const open = await okno.openSlotIds();
  same(open.length, js ? 3 : 2, `${label}: the open times before booking`);
  const slotId = open[0];
  const r = await okno.api('/api/book', { slotId, name: 'Анна', telegram: js ? '@anna_js' : '@anna_nojs' });
  same(r.status, 201, `${label}: a session in a few hours is booked`);
  const booking = r.json.booking;
  bookings[booking.id] = slotId;

  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();

  // The confirmation: no cancel, no change of time; why, and her contact.
  const confirmation = await page.goto(booking.cancelUrl);
  same(confirmation.status(), 200, `${label}: the confirmation opens`);
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  same(await page.locator('button', { hasText: 'Отменить запись' }).count(), 0, `${label}: no «Отменить запись» inside the policy`);
  same(await page.locator('a', { hasText: 'Изменить время' }).count(), 0, `${label}: no «Изменить время» inside the policy`);
  same(await page.locator('form[action="/cancel"]').count(), 0, `${label}: no cancel form at all`);
  const why = await page.locator('[data-too-late]').innerText().catch(() => '');
  ok(why.includes('слишком мало времени'), `${label}: the page says why`, why);
  ok((await page.locator('main').innerText()).includes(CONTACT), `${label}: and gives Olga's contact`);
  await assertTouchTargets(page, `${label} too late`);
  await audit(page, `${label} too late`, js ? null : helper);
  await page.screenshot({ path: join(shots, `page-too-late-${label}.png`), fullPage: true });

  // An old link to change the time (from the email): 409, why, the contact.
  const reschedule = await page.goto(booking.rescheduleUrl);
  same(reschedule.status(), 409, `${label}: the change-time page answers 409`);
  const text = await page.locator('main').innerText();
  ok(text.includes(CONTACT), `${label}: the change-time page gives Olga's contact`, text);
  same(await page.locator('button.slot').count(), 0, `${label}: and offers no time to move to`);
  await audit(page, `${label} change time too late`, js ? null : helper);

  // The cancel form sent anyway (a page kept open from the day before): 409.
  const url = new URL(booking.cancelUrl);
  for (const confirm of ['', '1']) {
    const form = { booking: booking.id, token: url.searchParams.get('token'), lang: 'ru' };
    if (confirm) form.confirm = confirm;
    const answer = await context.request.post(base + '/cancel', { form, maxRedirects: 0 });
    same(answer.status(), 409, `${label}: POST /cancel${confirm ? ' with confirm=1' : ''} is 409`);
    ok((await answer.text()).includes(CONTACT), `${label}: its page gives Olga's contact`);
  }
  ok(await active(booking.id), `${label}: the booking is still booked`);

  // The API says the same.
  const c = await okno.api('/api/cancel', { bookingId: booking.id, token: url.searchParams.get('token') });
  same(c.status, 409, `${label}: POST /api/cancel is 409`);
  same(c.json.error && c.json.error.code, 'too_late', `${label}: error code too_late`);
  const later = (await okno.openSlotIds()).filter((id) => !Object.values(bookings).includes(id)).pop();
  const m = await okno.api('/api/reschedule', { bookingId: booking.id, token: url.searchParams.get('token'), slotId: later });
  same(m.status, 409, `${label}: POST /api/reschedule is 409`);
  same(m.json.error && m.json.error.code, 'too_late', `${label}: error code too_late`);
  ok(await active(booking.id), `${label}: the booking has kept its time`);
  ok((await okno.openSlotIds()).includes(later), `${label}: the later slot is still open`);
  await context.close();
}

try {
  await flow(true);
  await flow(false);
} catch (e) {
  ok(false, 'the flows ran to the end', e.stack);
} finally {
  await browser.close();
  await okno.stop();
}

// The ledger, read back by the CLI once the server has stopped; then Olga
// cancels one herself: the policy does not stop her.
try {
  const list = JSON.parse(okno.cli('bookings', 'list', '--json'));
  for (const [id, slotId] of Object.entries(bookings)) {
    const b = list.find((x) => x.id === id);
    ok(b && b.status === 'confirmed' && b.slotId === slotId, `ledger: ${id} is confirmed on its slot`);
    same(b ? b.history.map((e) => e.event).join(',') : '', 'booked', `ledger: ${id} was never moved or cancelled`);
  }
  const [first] = Object.keys(bookings);
  okno.cli('bookings', 'cancel', first);
  const after = JSON.parse(okno.cli('bookings', 'list', '--json')).find((x) => x.id === first);
  same(after && after.status, 'cancelled', 'okno-server bookings cancel: Olga cancels inside the policy');
} catch (e) {
  ok(false, 'bookings list --json reads the ledger', e.stack);
}
okno.remove();
finish();
