// site-snippet.mjs OKNO_SERVER FAKE_CALCOM: the README's snippet for Olga's
// website (issue 11.3), run for real. Her site is a second origin (a node
// server on another loopback port) whose page holds exactly the README's
// block (read from README.md, only its address pointed at this Okno);
// okno-server has that origin in frame-ancestors and watches the fake
// Cal.com, switched up → down → up: the fallback button is hidden, shown,
// hidden, through the snippet's own check every minute (the page's clock
// is Playwright's, so a minute passes at once). A site that is not in
// frame-ancestors cannot read the status: its button stays hidden. Run
// with a private keyring (run-with-keyring.sh): the Cal.com key lives
// there. TAP output.
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Okno, ok, same, launch, finish } from './page-common.mjs';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');
const marker = '<!-- okno-site-snippet:';
const block = readme.slice(readme.indexOf(marker)).match(/```html\n([\s\S]*?)```/);
const snippet = readme.includes(marker) && block ? block[1] : null;
const README_ORIGIN = 'https://book.olgarozet.ru';

class Server extends Okno {
  // On @port (0: any free one); the same port again after a restart.
  async startOn(port) {
    this.child = spawn(this.server, ['--data-dir', this.dir, '--port', String(port)],
                       { stdio: ['ignore', 'pipe', 'inherit'] });
    this.base = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('okno-server did not start: ' + out)), 30000);
      this.child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\//);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      this.child.on('exit', () => reject(new Error('okno-server exited: ' + out)));
    });
    return this.base;
  }

  // Waits until /api/status says Cal.com is @state.
  async calcom(state, ms) {
    const deadline = Date.now() + ms;
    let seen = null;
    while (Date.now() < deadline) {
      seen = (await this.api('/api/status')).json.calcom.state;
      if (seen === state) return seen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return seen;
  }
}

// A website on its own loopback port: GET / is a page around the snippet.
// Before the snippet, the test's own counter of the status checks it made
// (wrapping fetch), so the test knows each check has been applied.
async function site(html) {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.url === '/' ? html() : '');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

const counter = `<script>
  window.__checks = 0; window.__failed = 0;
  const realFetch = window.fetch;
  window.fetch = (...args) => realFetch(...args).then((r) => {
    const json = r.json.bind(r);
    r.json = () => json().then((v) => { window.__checks++; return v; });
    return r;
  }, (e) => { window.__failed++; window.__checks++; throw e; });
</script>`;

ok(snippet !== null, 'README.md has the site snippet after its okno-site-snippet mark');
const okno = new Server(process.argv[2]);
const fake = spawn(process.argv[3], [], { stdio: ['ignore', 'pipe', 'inherit'] });
let browser = null;
let herSite = null;
let strangerSite = null;

try {
  const calcomBase = await new Promise((resolve, reject) => {
    let out = '';
    fake.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.split('\n')[0].trim()); });
    fake.on('exit', () => reject(new Error('fake-calcom exited')));
  });
  const mode = async (m) => {
    const r = await fetch(calcomBase.replace(/\/v2$/, '') + '/control/mode', { method: 'POST', body: m });
    same(r.status, 200, `fake Cal.com: ${m}`);
  };
  process.env.OKNO_CALCOM_API_URL = calcomBase;

  const page = (title) => () => `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${counter}
${snippet.replaceAll(README_ORIGIN, okno.base)}</body></html>`;
  herSite = await site(page('Ольга Розет'));
  strangerSite = await site(page('Чужой сайт'));

  okno.cli('settings', 'set', 'frame-ancestors', `'self' ${herSite.origin}`);
  execFileSync(okno.server, ['--data-dir', okno.dir, 'secret', 'set', 'calcom-api-key'],
               { input: 'cal_live_okno_test\n', encoding: 'utf8' });

  // Up: the button stays hidden.
  await mode('up');
  await okno.startOn(0);
  const port = new URL(okno.base).port;
  same(await okno.calcom('up', 60000), 'up', 'okno-server sees Cal.com up');

  browser = await launch();
  const context = await browser.newContext({ locale: 'ru-RU' });
  const her = await context.newPage();
  const corsErrors = [];
  // The page's clock stands still except when the test moves it: left
  // running, a slow (ASan) run let the snippet's minute pass on its own
  // while okno-server was restarting, and that check was counted as the
  // one after the fast-forward.
  const t0 = Date.now();
  await her.clock.install({ time: t0 });
  await her.clock.pauseAt(t0 + 1000);
  const status = await fetch(okno.base + '/api/status', { headers: { Origin: herSite.origin } });
  same(status.headers.get('access-control-allow-origin'), herSite.origin, "the status answers her site's origin (CORS)");
  await her.goto(herSite.origin + '/');
  await her.waitForFunction(() => window.__checks >= 1);
  same(await her.evaluate(() => window.__failed), 0, 'her page read the status');
  ok(await her.locator('#okno-fallback').isHidden(), 'Cal.com up: the fallback button is hidden');

  // Down: after the next check the button shows, on a page left open.
  // (Down takes two failed probes a minute apart; a restart probes at once.)
  await mode('down503');
  await okno.stop();
  await okno.startOn(port);
  same(await okno.calcom('down', 180000), 'down', 'okno-server sees Cal.com down');
  await her.clock.fastForward(60000);
  await her.waitForFunction(() => window.__checks >= 2);
  same(await her.evaluate(() => window.__checks), 2, 'one check in that minute, the one after the fast-forward');
  ok(await her.locator('#okno-fallback').isVisible(), 'Cal.com down: the fallback button shows');
  same(await her.locator('#okno-fallback').getAttribute('href'), okno.base + '/', 'and leads to the booking page');

  // Another website, not in frame-ancestors, cannot read the status.
  {
    const stranger = await context.newPage();
    stranger.on('console', (m) => { if (m.type() === 'error' && /CORS|Access-Control/i.test(m.text())) corsErrors.push(m.text()); });
    await stranger.goto(strangerSite.origin + '/');
    await stranger.waitForFunction(() => window.__checks >= 1);
    same(await stranger.evaluate(() => window.__failed), 1, 'a site not in frame-ancestors cannot read the status');
    ok(await stranger.locator('#okno-fallback').isHidden(), 'so its button stays hidden', corsErrors.join('\n'));
    await stranger.close();
  }

  // Up again: the button goes away, on the same open page.
  await mode('up');
  await okno.stop();
  await okno.startOn(port);
  same(await okno.calcom('up', 60000), 'up', 'okno-server sees Cal.com up again');
  await her.clock.fastForward(60000);
  await her.waitForFunction(() => window.__checks >= 3);
  ok(await her.locator('#okno-fallback').isHidden(), 'Cal.com back: the fallback button is hidden again');
  same(await her.evaluate(() => window.__failed), 0, 'every check of her page read the status');
  await context.close();
} catch (e) {
  ok(false, 'the flow ran to the end', e.stack);
} finally {
  if (browser) await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10000))]);
  await okno.stop();
  fake.kill('SIGTERM');
  herSite?.server.close();
  strangerSite?.server.close();
  okno.remove();
}
finish();
