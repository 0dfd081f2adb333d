// page-cancel.mjs OKNO_SERVER: cancelling on the public page is a second
// step (issue 12.1), with JavaScript on (in place) and off (a page with a
// form carrying confirm=1); «Keep it» changes nothing; the server's state
// is checked after each step. Also: the trust lines on every screen, 44 px
// touch targets, axe on each screen. TAP output.
// SPDX-License-Identifier: GPL-3.0-or-later
import { join } from 'node:path';
import { Okno, ok, same, launch, audit, assertTouchTargets, finish, shots } from './page-common.mjs';

const okno = new Okno(process.argv[2]);
const days = ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'];
const months = ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];

function day(offset, time) {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toISOString().slice(0, 10) + 'T' + time;
}

// «пт 4 дек, 06:00» in Moscow (UTC+3 all year), computed without the page.
function moscowShort(iso) {
  const d = new Date(new Date(iso).getTime() + 3 * 3600000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${d.getUTCDate()} ${months[d.getUTCMonth()]}, ${hh}:${mm}`;
}

okno.cli('settings', 'set', 'time-zone', 'Europe/Moscow');
okno.cli('settings', 'set', 'rate-limit', '0');
okno.cli('settings', 'set', 'owner-name', 'Ольга Розет');
okno.cli('settings', 'set', 'owner-about', 'Психолог, гештальт-терапия');
okno.cli('settings', 'set', 'contact', '@olga_rozet');
for (let i = 0; i < 6; i++) okno.cli('slots', 'add', '--start', day(2 + i, '06:00'), '--title', 'Включить в дело');

const base = await okno.start();
const browser = await launch();
const bookings = {};
const helper = await browser.newContext({ locale: 'ru-RU' });

async function flow(js) {
  const label = js ? 'js' : 'nojs';
  const slotIds = await okno.openSlotIds();
  const slotId = slotIds[js ? 0 : 1];
  const r = await okno.api('/api/book', { slotId, name: 'Анна', telegram: '@anna_k' });
  same(r.status, 201, `${label}: a booking to cancel`);
  const booking = r.json.booking;
  bookings[label] = booking.id;
  const bookingPath = new URL(booking.cancelUrl).pathname + new URL(booking.cancelUrl).search;

  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(base + bookingPath);
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  ok((await page.locator('header').innerText()).includes('Ольга Розет'), `${label}: the confirmation says whose page it is`);
  ok((await page.locator('header').innerText()).includes('Психолог, гештальт-терапия'), `${label}: and a line about her`);
  await assertTouchTargets(page, `${label} confirmation`);

  // The first step only asks.
  await page.locator('button', { hasText: 'Отменить запись' }).click();
  const question = `Отменить запись на ${moscowShort(booking.start)}?`;
  await page.locator('h1', { hasText: 'Отменить запись на' }).waitFor();
  same(await page.locator('h1').innerText(), question, `${label}: the question names the day and time`);
  ok((await page.locator('header').innerText()).includes('Ольга Розет'), `${label}: the question says whose page it is`);
  ok((await page.locator('dl').innerText()).includes('Анна'), `${label}: the question shows the booking`);
  same(await page.locator('input[name=confirm]').getAttribute('value'), '1', `${label}: the question's form carries confirm=1`);
  ok(!(await okno.openSlotIds()).includes(slotId), `${label}: asking changed nothing: the slot is still booked`);
  if (js) same(new URL(page.url()).pathname, new URL(booking.cancelUrl).pathname, 'js: the question is in place: the address stays the booking\'s');
  await assertTouchTargets(page, `${label} question`);
  await audit(page, `${label} cancel question`, js ? null : helper);
  await page.screenshot({ path: join(shots, `page-cancel-${label}-question.png`), fullPage: true });

  // «Keep it» goes back and changes nothing.
  await page.locator('a', { hasText: 'Оставить' }).click();
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  same(new URL(page.url()).pathname, new URL(booking.cancelUrl).pathname, `${label}: «Keep it» leads back to the booking`);
  ok(!(await okno.openSlotIds()).includes(slotId), `${label}: after «Keep it» the slot is still booked`);
  const again = await fetch(booking.cancelUrl);
  ok((await again.text()).includes('Вы записаны'), `${label}: after «Keep it» the booking is still active`);

  // Asked again and confirmed, it cancels.
  await page.locator('button', { hasText: 'Отменить запись' }).click();
  await page.locator('h1', { hasText: 'Отменить запись на' }).waitFor();
  await page.locator('button', { hasText: 'Отменить запись' }).click();
  await page.locator('h1', { hasText: 'Запись отменена' }).waitFor();
  ok((await (await fetch(booking.cancelUrl)).text()).includes('Запись отменена'), `${label}: confirmed, the booking is cancelled`);
  ok((await okno.openSlotIds()).includes(slotId), `${label}: the slot is open again`);
  await assertTouchTargets(page, `${label} cancelled`);
  await audit(page, `${label} cancelled`, js ? null : helper);

  ok(js ? loads === 1 : loads >= 5, `${label}: ${js ? 'one page load for the whole flow' : 'plain page loads'} (${loads})`);
  await context.close();
}

// A slot taken while the client types: the form comes back with what they
// typed and the open times to choose from; choosing one books it.
async function taken(js) {
  const label = js ? 'js' : 'nojs';
  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  await page.goto(base + '/');
  await assertTouchTargets(page, `${label} list`);
  const href = await page.locator('a.slot').first().getAttribute('href');
  const slotId = new URL(base + href).searchParams.get('slot');
  await page.locator('a.slot').first().click();
  await page.locator('#f-name').waitFor();
  await assertTouchTargets(page, `${label} form`);
  await page.fill('#f-name', 'Вера <i>');
  await page.fill('#f-telegram', '@vera_k');
  await page.fill('#f-note', 'Впервые');
  const r = await okno.api('/api/book', { slotId, name: 'Борис', telegram: '@boris_k' });
  same(r.status, 201, `${label}: someone else books the slot meanwhile`);
  await page.locator('button[type=submit]').click();
  await page.locator('fieldset.choices').waitFor();
  ok((await page.locator('[role=alert]').first().innerText()).includes('Кто-то только что записался'), `${label}: taken: says why`);
  same(await page.inputValue('#f-name'), 'Вера <i>', `${label}: taken: the name is kept`);
  same(await page.inputValue('#f-telegram'), '@vera_k', `${label}: taken: the contact is kept`);
  same(await page.inputValue('#f-note'), 'Впервые', `${label}: taken: the note is kept`);
  same(await page.locator(`input[type=radio][value="${slotId}"]`).count(), 0, `${label}: taken: the taken time is not offered`);
  await assertTouchTargets(page, `${label} taken form`);
  await audit(page, `${label} taken form`, js ? null : helper);
  await page.screenshot({ path: join(shots, `page-taken-${label}.png`), fullPage: true });
  const other = await page.locator('input[type=radio]').first().getAttribute('value');
  await page.locator('input[type=radio]').first().check();
  await page.locator('button[type=submit]').click();
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  ok(!(await okno.openSlotIds()).includes(other), `${label}: taken: the chosen time is booked`);
  bookings[`${label} taken`] = new URL(page.url()).pathname.split('/').pop();
  await context.close();
}

try {
  await flow(true);
  await flow(false);
  await taken(true);
  await taken(false);

  // The JSON API is unchanged: one request cancels.
  const slotId = (await okno.openSlotIds())[0];
  const r = await okno.api('/api/book', { slotId, name: 'Борис', telegram: '@boris_k' });
  const c = await okno.api('/api/cancel', { bookingId: r.json.booking.id, token: r.json.cancelToken });
  same(c.status, 200, '/api/cancel still cancels in one request');
  bookings.api = r.json.booking.id;
} catch (e) {
  ok(false, 'the flows ran to the end', e.stack);
} finally {
  await browser.close();
  await okno.stop();
}

// The ledger, read back by the CLI once the server has stopped.
try {
  const list = JSON.parse(okno.cli('bookings', 'list', '--json'));
  for (const [label, id] of Object.entries(bookings)) {
    const b = list.filter((x) => x.id === id);
    const status = label.endsWith('taken') ? 'confirmed' : 'cancelled';
    same(b.length === 1 && b[0].status, status, `ledger: the ${label} booking is ${status}, once`);
  }
} catch (e) {
  ok(false, 'bookings list --json reads the ledger', e.stack);
}
okno.remove();
finish();
