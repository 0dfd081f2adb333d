// page-common.mjs: what page-cancel.mjs and page-zones.mjs share: TAP
// output, a data folder, okno-server on a free loopback port, Chromium,
// axe-core run from the test (not injected as a page script, so the
// page's strict CSP stays on).
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const shots = process.env.OKNO_SCREENSHOT_DIR || mkdtempSync(join(tmpdir(), 'okno-shots-'));
mkdirSync(shots, { recursive: true });

let n = 0;
let failed = false;
export function ok(cond, what, detail) {
  n++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  if (!cond) { failed = true; if (detail !== undefined) console.log('# ' + String(detail).split('\n').join('\n# ')); }
}

export function same(actual, expected, what) {
  ok(actual === expected, what, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export class Okno {
  constructor(server) {
    this.server = server;
    this.dir = mkdtempSync(join(tmpdir(), 'okno-e2e-'));
  }

  cli(...args) {
    return execFileSync(this.server, ['--data-dir', this.dir, ...args], { encoding: 'utf8' });
  }

  async start() {
    this.child = spawn(this.server, ['--data-dir', this.dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.base = await new Promise((resolve, reject) => {
      let out = '';
      this.child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\//);
        if (m) resolve(m[1]);
      });
      this.child.on('exit', () => reject(new Error('okno-server exited: ' + out)));
      setTimeout(() => reject(new Error('okno-server did not start')), 30000);
    });
    return this.base;
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  async api(path, body) {
    const r = await fetch(this.base + path, body === undefined ? {} : {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: r.status, json: await r.json() };
  }

  // The ids of the open slots, as /api/slots lists them.
  async openSlotIds(days = 90) {
    const end = new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
    const { json } = await this.api('/api/slots?end=' + end);
    return Object.values(json.slots).flat().map((s) => s.id);
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// axe-core through the DevTools protocol, so the page keeps its CSP. A page
// with JavaScript off cannot run it (its promises never settle): pass a
// JavaScript-enabled context as @helper, and its DOM is audited there.
export async function audit(page, what, helper) {
  let target = page;
  if (helper) {
    target = await helper.newPage();
    await target.setContent(await page.content(), { waitUntil: 'domcontentloaded' });
  }
  const cdp = await target.context().newCDPSession(target);
  const run = async (expression) => {
    const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description || r.exceptionDetails.text);
    return r.result.value;
  };
  await run(axeSource + '\n;0');
  const result = await run('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((x) => String(x.target)) })))');
  await cdp.detach();
  if (target !== page) await target.close();
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  ok(bad.length === 0, `axe: no serious or critical violations on ${what}`,
     bad.map((v) => `${v.id}: ${v.help} (${v.nodes.join(', ')})`).join('\n'));
}

// Every visible link and button is at least 44 px tall.
export async function assertTouchTargets(page, what) {
  const small = await page.evaluate(() => Array.from(document.querySelectorAll('a, button, input[type=radio]'))
    .map((e) => {
      const target = e.type === 'radio' ? e.closest('label') || e : e;
      const r = target.getBoundingClientRect();
      return { text: (e.textContent || e.value || '').trim().slice(0, 40), h: r.height, visible: r.width > 0 && r.height > 0 };
    })
    .filter((x) => x.visible && x.h < 44));
  ok(small.length === 0, `${what}: every link and button is at least 44 px tall`,
     small.map((x) => `${x.text}: ${x.h}px`).join('\n'));
}

export function finish() {
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}
