// booking.mjs OKNO_SERVER: books and cancels on the public page in headless
// Chromium, with JavaScript on and off, on a phone and a desktop, under the
// page's own Content-Security-Policy, and runs axe-core on every screen.
// After each flow the server is stopped and its data folder read with the
// CLI (which refuses a folder a server holds): the booking is there with
// what was typed, cancelled, and its slot open again. TAP output;
// screenshots in $OKNO_SCREENSHOT_DIR.
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const server = process.argv[2];
const shots = process.env.OKNO_SCREENSHOT_DIR || mkdtempSync(join(tmpdir(), 'okno-shots-'));
mkdirSync(shots, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'okno-e2e-'));

let n = 0;
let failed = false;
function ok(cond, what, detail) {
  n++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  if (!cond) { failed = true; if (detail) console.log('# ' + String(detail).split('\n').join('\n# ')); }
}

function cli(...args) {
  return execFileSync(server, ['--data-dir', dir, ...args], { encoding: 'utf8' });
}

function day(offset, time) {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toISOString().slice(0, 10) + 'T' + time;
}

cli('settings', 'set', 'time-zone', 'Europe/Moscow');
cli('settings', 'set', 'rate-limit', '0');
for (let i = 0; i < 8; i++) cli('slots', 'add', '--start', day(2 + i, '17:30'), '--title', 'Включить в дело (40 мин)');
// 02:00 in Moscow is the evening before in New York.
cli('slots', 'add', '--start', day(3, '02:00'), '--title', 'Включить в дело (40 мин)');

// The server, started and stopped around each flow: the CLI needs the
// folder to itself.
let child = null;
let base = null;
async function startServer() {
  child = spawn(server, ['--data-dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('okno-server did not start')), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', () => reject(new Error('okno-server exited: ' + out)));
  });
}
async function stopServer() {
  if (!child) return;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  child = null;
  return code === 0 && signal === null;
}

async function openSlotIds() {
  const slots = await (await fetch(base + '/api/slots')).json();
  return Object.values(slots.slots).flat().map((s) => s.id);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// axe runs through the DevTools protocol, which the page's CSP does not
// stop. A page without JavaScript is audited as it is: its HTML, at its
// address, in a page where JavaScript runs only for axe (the page's own
// script is not loaded there).
let auditPage = null;
async function audit(page, what, js) {
  let target = page;
  if (!js) {
    if (!auditPage) {
      auditPage = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
      await auditPage.route(/\.js(\?|$)/, (route) => route.abort());
    }
    const html = await page.content();
    const size = page.viewportSize();
    await auditPage.setViewportSize(size);
    await auditPage.goto(base + '/static/none');
    await auditPage.setContent(html.replace('<head>', `<head><base href="${page.url()}">`), { waitUntil: 'load' });
    target = auditPage;
  }
  await target.evaluate(axeSource);
  const result = await target.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  ok(bad.length === 0, `axe: no serious or critical violations on ${what}`,
     bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target).join(', ')})`).join('\n'));
}

// The visitor's own times, as the script should have written them: for
// each slot, its range in @zone (and the visitor's date when it is another
// day than Olga's), computed here from the slot's <time datetime>.
async function checkLocalTimes(page, zone, label) {
  const items = await page.locator('[data-when]').evaluateAll((nodes) => nodes.map((n) => ({
    times: Array.from(n.querySelectorAll('[data-range] time')).map((t) => t.getAttribute('datetime')),
    local: (n.querySelector('[data-local]') || {}).textContent || '',
  })));
  const hm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const ymd = (d, z) => new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const dayNo = new Intl.DateTimeFormat('en-GB', { day: 'numeric', timeZone: zone });
  const wrong = [];
  let otherDays = 0;
  for (const item of items) {
    if (item.times.length !== 2) continue;
    const a = new Date(item.times[0]);
    const b = new Date(item.times[1]);
    const range = `${hm.format(a)}–${hm.format(b)}`;
    const otherDay = ymd(a, zone) !== ymd(a, 'Europe/Moscow');
    if (otherDay) otherDays++;
    if (!item.local.endsWith(range) || (otherDay && !new RegExp(`\\b${dayNo.format(a)}\\b`).test(item.local)))
      wrong.push(`${item.times[0]}: «${item.local}», expected …${otherDay ? dayNo.format(a) + ' …, ' : ''}${range}`);
  }
  ok(items.length >= 8 && wrong.length === 0,
     `${label}: every slot also shows its time in ${zone} as computed (${items.length} slots, ${otherDays} on another day there)`,
     wrong.join('\n'));
  return otherDays;
}

async function flow({ js, width, height, label, slot }) {
  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width, height }, locale: 'ru-RU', timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  const cspErrors = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(base + '/');
  ok(await page.locator('html').getAttribute('lang') === 'ru', `${label}: the page is in Russian`);
  ok(await page.locator('h1').innerText() === 'Выберите время', `${label}: the list has a heading`);
  ok((await page.locator('.zone').innerText()).includes('Москва (UTC+3)'), `${label}: times are labelled with Olga's zone`);
  if (js) {
    // The page's own script ran under its CSP: it wrote the visitor's times.
    await checkLocalTimes(page, 'Europe/Berlin', label);
  } else {
    ok(await page.locator('.local:not(:empty)').count() === 0, `${label}: visitor's own times need JavaScript, and are absent`);
  }
  await page.screenshot({ path: join(shots, `page-${label}-list.png`), fullPage: true });
  await audit(page, `${label} list`, js);

  // A slot other than the first.
  const link = page.locator('a.slot').nth(slot);
  const slotId = new URL(await link.getAttribute('href'), base).searchParams.get('slot');
  ok(Boolean(slotId), `${label}: slot ${slot + 1} links to its form`);
  await link.click();
  await page.locator('h1', { hasText: 'Ваши данные' }).waitFor();
  ok(await page.locator('h1').innerText() === 'Ваши данные' && await page.locator('#f-name').isVisible(),
     `${label}: the slot opens the form`);
  ok(await page.locator(`input[name=slot][value="${slotId}"]`).count() === 1, `${label}: the form is for that slot`);

  // Submit without a contact: the form comes back with the message by its field.
  await page.fill('#f-name', 'Анна <b>Тест</b>');
  await page.locator('button[type=submit]').click();
  await page.locator('#e-contact').waitFor();
  ok((await page.locator('#e-contact').innerText()).trim().length > 0, `${label}: a missing contact is said by its field`);
  ok(await page.inputValue('#f-name') === 'Анна <b>Тест</b>', `${label}: input is kept after a validation error`);
  await page.screenshot({ path: join(shots, `page-${label}-form-error.png`), fullPage: true });
  await audit(page, `${label} form with errors`, js);

  await page.fill('#f-email', 'anna@example.org');
  await page.locator('button[type=submit]').click();
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  ok((await page.locator('h1').innerText()).startsWith('Вы записаны'), `${label}: booking confirmed`);
  ok((await page.locator('dl').innerText()).includes('Анна <b>Тест</b>'), `${label}: the name is shown as typed, as text`);
  ok(!(await openSlotIds()).includes(slotId), `${label}: the booked slot is no longer offered`);
  await page.screenshot({ path: join(shots, `page-${label}-booked.png`), fullPage: true });
  await audit(page, `${label} confirmation`, js);

  // "Add to calendar", clicked: a download of the booking as iCalendar.
  const icsLink = page.locator('a[href*=".ics?token="]');
  ok(await icsLink.count() === 1, `${label}: an "Add to calendar" link`);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), icsLink.click()]);
  const ics = readFileSync(await download.path(), 'utf8');
  ok(ics.startsWith('BEGIN:VCALENDAR') && ics.includes('BEGIN:VEVENT') && /\nDTSTART/.test(ics),
     `${label}: the .ics downloads (${download.suggestedFilename()})`, ics.slice(0, 300));

  // Cancelling asks first (when the page asks); then the slot is offered again.
  await page.locator('button', { hasText: 'Отменить запись' }).click();
  await page.locator('h1', { hasText: /Отменить запись на|Запись отменена/ }).waitFor();
  if (await page.locator('h1', { hasText: 'Отменить запись на' }).count() > 0) {
    await page.screenshot({ path: join(shots, `page-${label}-cancel-question.png`), fullPage: true });
    await page.locator('button', { hasText: 'Отменить запись' }).click();
  }
  await page.locator('h1', { hasText: 'Запись отменена' }).waitFor();
  ok((await page.locator('h1').innerText()).startsWith('Запись отменена'), `${label}: booking cancelled`);
  await page.screenshot({ path: join(shots, `page-${label}-cancelled.png`), fullPage: true });
  await audit(page, `${label} cancelled`, js);
  ok((await openSlotIds()).includes(slotId), `${label}: the slot is offered again by the API`);

  ok(js ? loads === 1 : loads >= 4, `${label}: ${js ? 'one page load for the whole flow' : 'plain page loads'} (${loads})`);
  ok(foreign.length === 0, `${label}: no request to another origin`, foreign.join('\n'));
  ok(cspErrors.length === 0, `${label}: the page's CSP refused nothing of its own`, cspErrors.join('\n'));
  await context.close();

  // The server's own record, read with the CLI once the server is stopped.
  ok(await stopServer(), `${label}: the server stops cleanly`);
  const bookings = JSON.parse(cli('bookings', 'list', '--json')).filter((b) => b.slotId === slotId);
  ok(bookings.length === 1 && bookings[0].name === 'Анна <b>Тест</b>' && bookings[0].email === 'anna@example.org',
     `${label}: bookings list --json has the booking with the name and contact typed`, JSON.stringify(bookings));
  ok(bookings.length === 1 && bookings[0].status === 'cancelled', `${label}: and it is cancelled`, JSON.stringify(bookings));
  const listed = JSON.parse(cli('slots', 'list', '--json')).filter((s) => s.id === slotId);
  ok(listed.length === 1 && listed[0].state === 'open', `${label}: slots list --json has the slot open again`, JSON.stringify(listed));
  await startServer();
  const page2 = await (await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU' })).newPage();
  await page2.goto(base + '/');
  ok(await page2.locator(`a.slot[href*="slot=${slotId}"]`).count() === 1, `${label}: the page's list offers the slot again`);
  await page2.context().close();
}

try {
  await startServer();
  await flow({ js: true, width: 390, height: 844, label: 'phone-js', slot: 1 });
  await flow({ js: false, width: 390, height: 844, label: 'phone-nojs', slot: 2 });
  await flow({ js: true, width: 1280, height: 800, label: 'desktop-js', slot: 3 });
  await flow({ js: false, width: 1280, height: 800, label: 'desktop-nojs', slot: 4 });

  // A New York browser: the visitor's times there, one of them the evening
  // before; and the page's CSP blocks an injected inline script.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU',
                                               timezoneId: 'America/New_York' });
    const page = await context.newPage();
    const cspErrors = [];
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
    await page.goto(base + '/');
    const otherDays = await checkLocalTimes(page, 'America/New_York', 'new-york');
    ok(otherDays >= 1, 'new-york: a slot on another day there is shown with its date there');
    const injected = await page.addScriptTag({ content: 'window.__oknoInjected = true;' }).then(() => true, () => false);
    ok(!injected && await page.evaluate(() => window.__oknoInjected) === undefined && cspErrors.length === 1,
       "the page's CSP blocks an injected inline script", cspErrors.join('\n'));
    await context.close();
  }

  // Back to the tab, the list refreshed: tab-return.mjs, with the browser
  // really hiding and showing the tab (Playwright keeps its pages visible).
} catch (e) {
  ok(false, 'the flows ran to the end', e.stack);
} finally {
  await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10000))]);
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
