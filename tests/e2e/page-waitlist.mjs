// page-waitlist.mjs OKNO_SERVER: the waitlist as a client on a phone meets
// it, with JavaScript on and off: the link on the list and on the page of a
// time just taken, the form (days and times of day), the entry's page and
// its Stop waiting; then Olga cancels the taken time on the command line
// and the waiting are told: with no channel set up in that folder, both
// clients (a phone, an email) are named to Olga in her attention list (with
// Gmail connected, the email client gets the offer itself: test-waitlist).
// axe on each screen; no contact on any page. TAP output.
// SPDX-License-Identifier: GPL-3.0-or-later
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Okno, ok, same, launch, audit, assertTouchTargets, finish, shots } from './page-common.mjs';

const okno = new Okno(process.argv[2]);

function moscow(offsetDays, time) {
  const d = new Date(Date.now() + offsetDays * 86400000 + 3 * 3600000);
  return d.toISOString().slice(0, 10) + 'T' + time;
}

okno.cli('settings', 'set', 'time-zone', 'Europe/Moscow');
okno.cli('settings', 'set', 'rate-limit', '0');
okno.cli('settings', 'set', 'contact', '@olga_rozet');
const takenStart = moscow(3, '18:00');
okno.cli('slots', 'add', '--start', takenStart, '--title', 'Разбор');
okno.cli('slots', 'add', '--start', moscow(4, '10:00'), '--title', 'Разбор');
// ISO weekday (1 = Monday) of the taken time, in Moscow.
const takenDay = ((new Date(takenStart + '+03:00').getUTCDay() + 6) % 7) + 1;

const base = await okno.start();
const browser = await launch();
const helper = await browser.newContext({ locale: 'ru-RU' });
let bookingId;
let takenSlot;
const contacts = { js: { phone: '+7 999 123-45-67' }, nojs: { email: 'galya.waits@example.org' } };

async function joinFlow(js) {
  const label = js ? 'js' : 'nojs';
  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();

  // The page shown when a time was just taken links to the waitlist.
  await page.goto(base + `/book?slot=${takenSlot}`);
  const toWaitlist = page.locator('a', { hasText: 'Встать в лист ожидания' }).first();
  await toWaitlist.waitFor();
  const href = await toWaitlist.getAttribute('href');
  ok(new URL(href, base).pathname === '/waitlist', `${label}: a taken time's page links to the waitlist`, href);
  await toWaitlist.click();
  await page.locator('h1', { hasText: 'Встать в лист ожидания' }).waitFor();
  await assertTouchTargets(page, `${label} waitlist form`);
  await audit(page, `${label} waitlist form`, js ? null : helper);

  // Sent without a contact: the form again, by its field, what was typed kept.
  await page.fill('#f-name', js ? 'Анна' : 'Галя');
  await page.locator(`input[name=day${takenDay}]`).check();
  await page.locator('input[name=evening]').check();
  await page.locator('button[type=submit]').click();
  await page.locator('#e-contact').waitFor();
  ok(await page.locator(`input[name=day${takenDay}]`).isChecked(), `${label}: a refused form keeps the ticked day`);
  await audit(page, `${label} waitlist form with an error`, js ? null : helper);

  if (contacts[label].phone) await page.fill('#f-phone', contacts[label].phone);
  else await page.fill('#f-email', contacts[label].email);
  await page.locator('button[type=submit]').click();
  await page.locator('h1', { hasText: 'Вы в листе ожидания' }).waitFor();
  const text = await page.locator('main').innerText();
  ok(text.includes('Вечер'), `${label}: the entry's page says what suits`);
  ok(!text.includes('123-45-67') && !text.includes('galya.waits'), `${label}: the entry's page shows no contact`);
  ok(new URL(page.url()).searchParams.get('token').length >= 22, `${label}: its address is the unsubscribe link`);
  await assertTouchTargets(page, `${label} waitlist entry`);
  await audit(page, `${label} waitlist entry`, js ? null : helper);
  await page.screenshot({ path: join(shots, `page-waitlist-${label}.png`), fullPage: true });

  // No page a stranger sees shows it either.
  for (const path of ['/', '/waitlist', '/api/slots', '/api/status']) {
    const body = await (await fetch(base + path)).text();
    ok(!body.includes('123-45-67') && !body.includes('galya.waits'), `${label}: ${path} shows no waiting client's contact`);
  }
  await context.close();
}

async function leave(js) {
  const label = js ? 'js' : 'nojs';
  const r = await okno.api('/api/waitlist', { name: 'Дина', email: `dina.${label}@example.org` });
  same(r.status, 201, `${label}: one more joins through the API`);
  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width: 390, height: 844 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  await page.goto(r.json.waitlist.leaveUrl);
  await page.locator('button', { hasText: 'Больше не ждать' }).click();
  await page.locator('h1', { hasText: 'Вас больше нет в листе ожидания' }).waitFor();
  await audit(page, `${label} left the waitlist`, js ? null : helper);
  const again = await fetch(r.json.waitlist.leaveUrl);
  same(again.status, 404, `${label}: the unsubscribe link no longer finds the entry`);
  await context.close();
}

try {
  const slots = await okno.openSlotIds();
  takenSlot = slots[0];
  const r = await okno.api('/api/book', { slotId: takenSlot, name: 'Вера', email: 'vera@example.org' });
  same(r.status, 201, 'Вера books the evening time');
  bookingId = r.json.booking.id;

  await joinFlow(true);
  await joinFlow(false);
  await leave(true);
  await leave(false);
} catch (e) {
  ok(false, 'the flows ran to the end', e.stack);
} finally {
  await browser.close();
  await okno.stop();
}

// Olga cancels Вера's booking on the command line: the evening time opens.
try {
  const list = okno.cli('waitlist', 'list');
  ok(list.includes('Анна') && list.includes('+7 999 123-45-67') && list.includes('Галя'), 'waitlist list shows both, with contacts');
  ok(!list.includes('Дина'), 'waitlist list no longer shows those who left');
  okno.cli('bookings', 'cancel', bookingId);
  ok(readFileSync(join(okno.dir, 'waitlist.json'), 'utf8').includes(`${takenSlot}@`),
     'the entries remember that time was offered');
  const attention = okno.cli('attention', 'list');
  ok(attention.includes('Анна (+7 999 123-45-67)'), 'Анна (a phone) is named to Olga with her phone', attention);
  ok(attention.includes('Галя (galya.waits@example.org)'),
     'Галя (an email) too, as Okno sends no email from this folder', attention);
} catch (e) {
  ok(false, 'the command line tells the waiting', e.stack);
}
okno.remove();
finish();
