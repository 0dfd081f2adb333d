// page-zones.mjs OKNO_SERVER: times on the page for visitors in other zones
// (issue 8.8). Olga is in Vladivostok (UTC+10); browsers in Moscow, UTC
// and New York see their own time named by their city, with their own date
// where it is another day than Olga's; checked against values computed
// here, around midnight and across New York's next change of season. TAP.
// SPDX-License-Identifier: GPL-3.0-or-later
import { join } from 'node:path';
import { Okno, ok, same, launch, audit, finish, shots } from './page-common.mjs';

const okno = new Okno(process.argv[2]);
const OLGA = 10 * 60; // Asia/Vladivostok, minutes east of UTC, all year
const HOUR = 3600000;
const ru = { days: ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'],
             months: ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'] };
const en = { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
             months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] };

// A zone's offset at @t, in minutes, from the tz database node carries.
function offset(zone, t) {
  const name = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName').value;
  const m = name.match(/GMT([+-])(\d\d):(\d\d)/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function wall(t, minutes) {
  const d = new Date(t + minutes * 60000);
  return { date: d.toISOString().slice(0, 10), day: d.getUTCDay(), dom: d.getUTCDate(), month: d.getUTCMonth(),
           clock: d.toISOString().slice(11, 16) };
}

// What the page should say for a slot [@start, @end) to a visitor in @zone.
function expected(zone, city, start, end, lang = 'ru') {
  const names = lang === 'ru' ? ru : en;
  const a = wall(start, offset(zone, start));
  const b = wall(end, offset(zone, end));
  const olga = wall(start, OLGA);
  if (a.date === olga.date && a.clock === olga.clock) return '';
  const label = lang === 'ru' ? `у вас (${city})` : `your time (${city})`;
  const date = a.date !== olga.date ? `${names.days[a.day]} ${a.dom} ${names.months[a.month]}, ` : '';
  return `${label}: ${date}${a.clock}–${b.clock}`;
}

// Olga's wall time for the instant @t, as `slots add --start` takes it.
function olgaStart(t) {
  return new Date(t + OLGA * 60000).toISOString().slice(0, 16);
}

// The next change of New York's offset, to the hour.
function nextChange(zone) {
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  for (let h = 1; h < 400 * 24; h++) if (offset(zone, now + h * HOUR) !== offset(zone, now)) return now + h * HOUR;
  throw new Error('no change of offset in a year');
}

okno.cli('settings', 'set', 'time-zone', 'Asia/Vladivostok');
okno.cli('settings', 'set', 'booking-window-days', '365');
okno.cli('settings', 'set', 'rate-limit', '0');

// Three slots on one of Olga's days, three days ahead: 06:00 and 09:00 are
// the evening before in Moscow or UTC, 17:30 the same morning.
const day = new Date(Date.now() + 3 * 86400000 + OLGA * 60000).toISOString().slice(0, 10);
const change = nextChange('America/New_York');
const slots = [];
function add(start, minutes, what) {
  const line = okno.cli('slots', 'add', '--start', start, '--minutes', String(minutes), '--title', what);
  const id = line.split('\t')[0].trim();
  const t = Date.parse(start + ':00Z') - OLGA * 60000;
  slots.push({ id, start: t, end: t + minutes * 60000, what });
}
add(`${day}T06:00`, 60, 'Рано утром');
add(`${day}T09:00`, 90, 'Утром');
add(`${day}T17:30`, 40, 'Вечером');
add(olgaStart(change - 24 * HOUR), 60, 'До перевода часов');
add(olgaStart(change + 24 * HOUR), 60, 'После перевода часов');

const base = await okno.start();
const browser = await launch();
const visitors = [
  { zone: 'Europe/Moscow', city: 'Москва' },
  { zone: 'UTC', city: 'UTC' },
  // Chromium names New York's zone in Russian by its region only.
  { zone: 'America/New_York', city: 'Восточная Америка' },
  { zone: 'Asia/Vladivostok', city: 'Владивосток' },
];

try {
  // The computed values themselves cover what the test claims to.
  const ny = visitors[2];
  ok(expected('Europe/Moscow', 'Москва', slots[0].start, slots[0].end).includes(', 23:00–00:00'),
     'the 06:00 slot is 23:00–00:00 the day before in Moscow');
  ok(offset(ny.zone, slots[3].start) !== offset(ny.zone, slots[4].start), 'two slots on both sides of New York\'s change of season');

  for (const v of visitors) {
    const context = await browser.newContext({ locale: 'ru-RU', timezoneId: v.zone, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(base + '/');
    same(await page.locator('.zone').innerText(), 'Время: Владивосток (UTC+10)', `${v.zone}: Olga's zone named by its city`);
    for (const s of slots) {
      const link = page.locator(`a.slot[href*="slot=${s.id}"]`);
      same(await link.locator('[data-range]').innerText(), `${wall(s.start, OLGA).clock}–${wall(s.end, OLGA).clock}`,
           `${v.zone}, ${s.what}: Olga's time as it is`);
      same(await link.locator('.local').innerText(), expected(v.zone, v.city, s.start, s.end),
           `${v.zone}, ${s.what}: the visitor's time${expected(v.zone, v.city, s.start, s.end) ? '' : ' is not repeated'}`);
    }
    if (v.zone === 'Europe/Moscow') {
      await page.screenshot({ path: join(shots, 'page-zones-moscow-list.png'), fullPage: true });
      await audit(page, 'the list with visitor times');

      // The form and the confirmation say the same, with the date.
      const s = slots[0];
      await page.locator(`a.slot[href*="slot=${s.id}"]`).click();
      await page.locator('#f-name').waitFor();
      same(await page.locator('.card .local').innerText(), expected(v.zone, v.city, s.start, s.end), 'Moscow: the form');
      same(await page.locator('.card .zone-label').innerText(), 'время: Владивосток, UTC+10', 'Moscow: the form names Olga\'s zone apart from the visitor\'s');
      await page.fill('#f-name', 'Анна');
      await page.fill('#f-telegram', '@anna_k');
      await page.locator('button[type=submit]').click();
      await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
      same(await page.locator('dl .local').innerText(), expected(v.zone, v.city, s.start, s.end), 'Moscow: the confirmation');
      await audit(page, 'the confirmation with visitor times');
      slots.shift();
    }
    await context.close();
  }

  // English, and New York's evening before.
  {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await page.goto(base + '/?lang=en');
    same(await page.locator('.zone').innerText(), 'Times are Vladivostok time (UTC+10)', 'English: Olga\'s zone by its city');
    for (const s of slots) {
      same(await page.locator(`a.slot[href*="slot=${s.id}"] .local`).innerText(),
           expected('America/New_York', 'New York', s.start, s.end, 'en'), `English, New York, ${s.what}`);
    }
    await context.close();
  }

  // Without JavaScript only Olga's times, labelled; nothing half-filled.
  {
    const context = await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(base + '/');
    same(await page.locator('.local:not(:empty)').count(), 0, 'without JavaScript: no visitor times');
    ok(await page.locator('.local').first().isHidden(), 'without JavaScript: the empty places take no room');
    await context.close();
  }
} catch (e) {
  ok(false, 'the visits ran to the end', e.stack);
} finally {
  await browser.close();
  await okno.stop();
  okno.remove();
}
finish();
