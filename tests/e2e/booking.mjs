// booking.mjs OKNO_SERVER: books and cancels on the public page in headless
// Chromium, with JavaScript on and off, on a phone and a desktop, and runs
// axe-core on every screen. TAP output; screenshots in $OKNO_SCREENSHOT_DIR.
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
for (let i = 0; i < 6; i++) cli('slots', 'add', '--start', day(2 + i, '17:30'), '--title', 'Включить в дело (40 мин)');

const child = spawn(server, ['--data-dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) resolve(m[1]);
  });
  child.on('exit', () => reject(new Error('okno-server exited: ' + out)));
  setTimeout(() => reject(new Error('okno-server did not start')), 10000);
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function audit(page, what) {
  // axe runs in the page, so only where JavaScript is on (the HTML is the
  // same without it). The page's CSP rightly refuses injected scripts; the
  // test's context bypasses it.
  if (!(await page.evaluate(() => true).catch(() => false))) return;
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  ok(bad.length === 0, `axe: no serious or critical violations on ${what}`,
     bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target).join(', ')})`).join('\n'));
}

async function flow({ js, width, height, label }) {
  const context = await browser.newContext({
    javaScriptEnabled: js, viewport: { width, height }, locale: 'ru-RU',
    timezoneId: 'Europe/Berlin', bypassCSP: true,
  });
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(base + '/');
  ok(await page.locator('html').getAttribute('lang') === 'ru', `${label}: the page is in Russian`);
  ok(await page.locator('h1').innerText() === 'Выберите время', `${label}: the list has a heading`);
  ok((await page.locator('.zone').innerText()).includes('Москва (UTC+3)'), `${label}: times are labelled with Olga's zone`);
  const local = await page.locator('.local:not(:empty)').count();
  ok(js ? local > 0 : local === 0, `${label}: visitor's own times ${js ? 'shown' : 'need JavaScript, and are absent'}`);
  await page.screenshot({ path: join(shots, `page-${label}-list.png`), fullPage: true });
  if (js) await audit(page, `${label} list`);

  await page.locator('a.slot').first().click();
  await page.locator('h1', { hasText: 'Ваши данные' }).waitFor();
  ok(true, `${label}: a slot opens the form`);

  // Submit without a contact: the form comes back with the message by its field.
  await page.fill('#f-name', 'Анна <b>Тест</b>');
  await page.locator('button[type=submit]').click();
  await page.locator('#e-contact').waitFor();
  ok(await page.inputValue('#f-name') === 'Анна <b>Тест</b>', `${label}: input is kept after a validation error`);
  await page.screenshot({ path: join(shots, `page-${label}-form-error.png`), fullPage: true });
  if (js) await audit(page, `${label} form with errors`);

  await page.fill('#f-email', 'anna@example.org');
  await page.locator('button[type=submit]').click();
  await page.locator('h1', { hasText: 'Вы записаны' }).waitFor();
  ok(true, `${label}: booking confirmed`);
  ok((await page.locator('dl').innerText()).includes('Анна <b>Тест</b>'), `${label}: the name is shown as typed, as text`);
  ok(await page.locator('a[href*=".ics?token="]').count() === 1, `${label}: an "Add to calendar" link`);
  await page.screenshot({ path: join(shots, `page-${label}-booked.png`), fullPage: true });
  if (js) await audit(page, `${label} confirmation`);

  const ics = await page.evaluate(async (href) => (await fetch(href)).text(),
                                  await page.locator('a[href*=".ics?token="]').getAttribute('href')).catch(() => null);
  if (js) ok(ics && ics.startsWith('BEGIN:VCALENDAR'), `${label}: the .ics downloads`);

  // Cancelling asks first (tests/e2e/page-cancel.mjs tests the question itself).
  await page.locator('button', { hasText: 'Отменить запись' }).click();
  await page.locator('h1', { hasText: 'Отменить запись на' }).waitFor();
  await page.locator('button', { hasText: 'Отменить запись' }).click();
  await page.locator('h1', { hasText: 'Запись отменена' }).waitFor();
  ok(true, `${label}: booking cancelled`);
  await page.screenshot({ path: join(shots, `page-${label}-cancelled.png`), fullPage: true });

  ok(js ? loads === 1 : loads >= 4, `${label}: ${js ? 'one page load for the whole flow' : 'plain page loads'} (${loads})`);
  ok(foreign.length === 0, `${label}: no request to another origin`, foreign.join('\n'));
  await context.close();
}

try {
  await flow({ js: true, width: 390, height: 844, label: 'phone-js' });
  await flow({ js: false, width: 390, height: 844, label: 'phone-nojs' });
  await flow({ js: true, width: 1280, height: 800, label: 'desktop-js' });
  await flow({ js: false, width: 1280, height: 800, label: 'desktop-nojs' });

  // Back to the tab: the list is refreshed. Book a slot behind its back.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(base + '/');
  const before = await page.locator('a.slot').count();
  const slots = await (await fetch(base + '/api/slots')).json();
  const first = Object.values(slots.slots)[0][0];
  const r = await fetch(base + '/api/book', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ slotId: first.id, name: 'Борис', telegram: '@boris_k' }) });
  ok(r.status === 201, 'a booking through the API meanwhile');
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.waitForFunction((n) => document.querySelectorAll('a.slot').length === n - 1, before, { timeout: 5000 })
    .then(() => ok(true, 'the list refreshes when the tab comes back'))
    .catch(() => ok(false, 'the list refreshes when the tab comes back'));
  await context.close();
} catch (e) {
  ok(false, 'the flows ran to the end', e.stack);
} finally {
  await browser.close();
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}

console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
