// Issue 18, item 2, for the way organisations deploy Cảnh Giác: installed by policy
// (ExtensionInstallForcelist, the built extension signed and served from a local update site),
// Chromium 156 keeps blocking webRequest in Manifest V3, and a lookalike's request is stopped
// before it is sent, with the worker running and on the first navigation after a restart.
// Writes Chromium's policy folder: run under the shared lock,
//   flock /tmp/policy-dir.lock node --test --test-concurrency=1 tests/e2e/warnpath-policy.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, ROOT, launch, startServer } from './harness.mjs';

const POLICY_FILE = '/etc/chromium/policies/managed/canhgiac-e2e-warnpath.json';
const isRoot = process.getuid?.() === 0;
const SITE = 'http://updates.so-noi-vu.example.vn';
const VERSION = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')).version;
const SCAM_HOST = 'dichvucong.gov.vn.xacminh-cutru.top';
const SAFE_HOST = 'tin-tuc.example.vn';
/** First navigations after a worker restart, and navigations with it running, measured. */
const RESTARTS = Number(process.env.WARNPATH_RESTARTS ?? 10);
const LIVE = Number(process.env.WARNPATH_LIVE ?? 10);

const work = mkdtempSync(join(tmpdir(), 'canhgiac-warnpath-policy-'));
let server;
let browser;
let origin;
let cdp;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const scam = (tag) => `https://${SCAM_HOST}/dang-nhap?${tag}`;
/** Whether the server was asked for the scam page `tag`, and whether its script pinged. */
const requested = (tag) => server.requests.some((r) => r.host === SCAM_HOST && r.path === `/dang-nhap?${tag}`);
const ran = (tag) => server.requests.some((r) => r.path === `/ran?${tag}`);

before(async () => {
  if (!isRoot) return;
  const key = join(work, 'organisation-key.pem');
  execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
  const packed = execFileSync('python3', [join(ROOT, 'scripts', 'pack-crx.py'), key, DIST, join(work, 'site'), VERSION, SITE], { encoding: 'utf8' });
  const id = packed.match(/for extension ([a-p]{32})/)[1];
  origin = `chrome-extension://${id}/`;
  mkdirSync('/etc/chromium/policies/managed', { recursive: true });
  // DevTools stays open to the extension's pages, for the test alone.
  writeFileSync(POLICY_FILE, JSON.stringify({ ExtensionInstallForcelist: [`${id};${SITE}/updates.xml`], DeveloperToolsAvailability: 1 }));
  server = await startServer((req, url, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const file = { '/updates.xml': 'updates.xml', [`/canhgiac-${VERSION}.crx`]: `canhgiac-${VERSION}.crx` }[url.pathname];
    if (file && host === 'updates.so-noi-vu.example.vn') {
      res.writeHead(200, { 'content-type': file.endsWith('.xml') ? 'text/xml' : 'application/x-chrome-extension' });
      res.end(readFileSync(join(work, 'site', file)));
      return true;
    }
    const html = (body) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${host}</title></head><body>${body}</body></html>`);
      return true;
    };
    if (host === SCAM_HOST && url.pathname === '/dang-nhap') return html(`<script>fetch('/ran?${url.search.slice(1)}').catch(() => {})</script><h1>Đăng nhập</h1>`);
    if (url.pathname === '/ran') return html('');
    return false;
  });
  browser = await launch(server.port, { dist: null });
  cdp = await browser.context.browser().newBrowserCDPSession();
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(POLICY_FILE, { force: true });
  rmSync(work, { recursive: true, force: true });
});

/** The tabs (as DevTools lists them) whose address starts with `prefix`. */
async function tabsAt(prefix) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'page' && t.url.startsWith(prefix));
}

/** Waits until a tab shows this copy's warning page about the scam page `tag` (named in its
 * address, or a warning record's id new since `before`); its address. */
async function warnedAbout(tag, before) {
  for (let i = 0; i < 60; i++) {
    const found = (await tabsAt(`${origin}warning.html`)).find(
      (t) => decodeURIComponent(t.url).includes(`dang-nhap?${tag}`) || (t.url.includes('?id=') && !before.has(t.url)),
    );
    if (found) return found.url;
    await sleep(250);
  }
  throw new Error(`no warning about ${tag}: ${JSON.stringify((await tabsAt('')).map((t) => t.url))}`);
}

async function restartWorker(page) {
  const session = await browser.context.newCDPSession(page);
  await session.send('ServiceWorker.enable');
  await session.send('ServiceWorker.stopAllWorkers');
  await session.detach();
  await sleep(300);
}

test('installed by policy, a lookalike\'s request is stopped before it is sent, after a worker restart or not', { skip: !isRoot && 'needs root to write Chromium\'s policy folder', timeout: 300_000 }, async () => {
  // The browser's updater installs the extension a moment after the start.
  for (let i = 0; i < 80 && !(await cdp.send('Target.getTargets')).targetInfos.some((t) => t.url === `${origin}background.js`); i++) await sleep(500);
  const page = await browser.context.newPage();
  await page.goto(`https://${SAFE_HOST}/`);
  // The worker is running and has its engine: the first lookalike warms nothing up.
  const counts = { restart: { requested: 0, ran: 0 }, live: { requested: 0, ran: 0 } };
  /** Stops made on the held-request page (the engine not loaded yet when the request came). */
  let held = 0;
  for (const [kind, n] of [['live', LIVE], ['restart', RESTARTS]]) {
    for (let i = 0; i < n; i++) {
      if (kind === 'restart') await restartWorker(page);
      const tag = `${kind}-${i}`;
      const before = new Set((await tabsAt(origin)).map((t) => t.url));
      page.goto(scam(tag)).catch(() => {});
      if ((await warnedAbout(tag, before)).includes('hold=1')) held += 1;
      await sleep(300);
      counts[kind].requested += requested(tag) ? 1 : 0;
      counts[kind].ran += ran(tag) ? 1 : 0;
      await page.goto(`https://${SAFE_HOST}/${tag}`).catch(() => {});
    }
  }
  console.log(
    `# installed by policy: the lookalike was requested ${counts.restart.requested}/${RESTARTS} and its script ran ${counts.restart.ran}/${RESTARTS} ` +
      `after a worker restart; requested ${counts.live.requested}/${LIVE}, ran ${counts.live.ran}/${LIVE} with the worker running; ` +
      `${held} of them stopped while the engine loaded`,
  );
  assert.deepEqual(counts, { restart: { requested: 0, ran: 0 }, live: { requested: 0, ran: 0 } }, 'no lookalike request left the browser');
  await page.close();
});

test('installed by policy, an ordinary page after a worker restart still opens, once, at its own address', { skip: !isRoot && 'needs root to write Chromium\'s policy folder', timeout: 60_000 }, async () => {
  const page = await browser.context.newPage();
  await page.goto(`https://${SAFE_HOST}/`);
  await restartWorker(page);
  const url = `https://${SAFE_HOST}/sau-khoi-dong?x=1`;
  page.goto(url).catch(() => {});
  await page.waitForURL(url, { timeout: 15_000 });
  await page.waitForSelector('h1');
  assert.equal(server.requests.filter((r) => r.host === SAFE_HOST && r.path === '/sau-khoi-dong?x=1').length, 1, 'the page was fetched once');
  await page.close();
});
