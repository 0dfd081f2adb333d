// cdp-pipe.mjs: Chromium driven over the DevTools protocol on a pipe, with
// nothing in between. Playwright keeps every page it attaches to visible
// (Emulation.setFocusEmulationEnabled holds the page as if captured,
// microsoft/playwright#2286), so a flow that needs the browser's own
// hide/show of a tab talks to Chromium itself: Target.activateTarget
// switches tabs as a click on the tab strip does, and the tab left behind
// is hidden (document.visibilityState "hidden") until it is active again.
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Chromium {
  async launch() {
    this.dir = mkdtempSync(join(tmpdir(), 'okno-cdp-'));
    this.child = spawn(process.env.CHROMIUM || '/usr/bin/chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--remote-debugging-pipe', '--user-data-dir=' + this.dir, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.id = 0;
    this.waiting = new Map();
    let buffer = '';
    this.child.stdio[4].on('data', (data) => {
      buffer += data;
      for (let end; (end = buffer.indexOf('\0')) >= 0; buffer = buffer.slice(end + 1)) {
        const message = JSON.parse(buffer.slice(0, end));
        const reply = message.id && this.waiting.get(message.id);
        if (reply) {
          this.waiting.delete(message.id);
          reply(message);
        }
      }
    });
    await this.send('Browser.getVersion');
  }

  send(method, params = {}, sessionId = undefined) {
    const message = { id: ++this.id, method, params, ...(sessionId ? { sessionId } : {}) };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in 30 s`)), 30000);
      this.waiting.set(message.id, (answer) => {
        clearTimeout(timer);
        if (answer.error) reject(new Error(`${method}: ${answer.error.message}`));
        else resolve(answer.result);
      });
      this.child.stdio[3].write(JSON.stringify(message) + '\0');
    });
  }

  // A new tab at @url, in front; returns { targetId, sessionId }.
  async newTab(url) {
    const { targetId } = await this.send('Target.createTarget', { url });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    return { targetId, sessionId };
  }

  async evaluate(tab, expression) {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, tab.sessionId);
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description || r.exceptionDetails.text);
    return r.result.value;
  }

  // Polls @expression in @tab until it is true; false after @ms.
  async waitFor(tab, expression, ms = 15000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await this.evaluate(tab, `Boolean(${expression})`)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  // Brings @tab to the front, as a click on its tab would.
  async activate(tab) {
    await this.send('Target.activateTarget', { targetId: tab.targetId });
  }

  async close() {
    this.child.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 10000))]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
