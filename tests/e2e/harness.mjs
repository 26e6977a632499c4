// Shared pieces of the end-to-end tests: a local server that answers for every hostname (HTTP and
// HTTPS on one port), and Debian's Chromium with the built extension loaded. Hostile hostnames
// reach the server through --host-resolver-rules, so tests use the real scam-shaped URLs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist', 'extension');
export const EXTENSION_ID = execFileSync('python3', [join(ROOT, 'scripts', 'extension-id.py'), join(ROOT, 'extension', 'manifest.json')])
  .toString()
  .trim();
export const EXT_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

/** A small but real APK: a zip whose first entry is AndroidManifest.xml. */
function apkBytes() {
  const name = Buffer.from('AndroidManifest.xml');
  const data = Buffer.from('<manifest package="vn.fake.vneid"/>');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const localPart = Buffer.concat([local, name, data]);
  const centralPart = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

export const APK = apkBytes();
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

function page(title, body = '') {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

/**
 * Starts the server. `routes(req, url)` may answer a request first; the defaults serve pages,
 * APKs (any path ending in .apk), attachments, redirects and frames. Every request is recorded.
 */
export async function startServer(routes = () => false) {
  const requests = [];
  /** Short links, `/s/<code>` → target: a redirect whose target is not in the link's URL. */
  const shortLinks = new Map();
  /** Pages framing another address, path → frame src: the framed address is not in the page's URL. */
  const framePages = new Map();
  const dir = mkdtempSync(join(tmpdir(), 'canhgiac-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '2', '-subj', '/CN=canhgiac-test', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  const handler = (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    requests.push({ host, path: url.pathname + url.search, headers: req.headers, at: Date.now() });
    if (routes(req, url, res)) return;
    const p = url.pathname;
    if (p.toLowerCase().endsWith('.apk')) {
      res.writeHead(200, { 'content-type': 'application/vnd.android.package-archive' });
      return res.end(APK);
    }
    if (p === '/get') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${url.searchParams.get('name') ?? 'VNeID.apk'}"` });
      return res.end(APK);
    }
    if (p === '/report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="bao-cao.pdf"' });
      return res.end(PDF);
    }
    if (framePages.has(p)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(`frame ${host}`, `<iframe src="${framePages.get(p)}"></iframe>`));
    }
    if (shortLinks.has(p)) {
      res.writeHead(302, { location: shortLinks.get(p) });
      return res.end();
    }
    if (p === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') });
      return res.end();
    }
    if (p === '/favicon.ico') {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(`${host}${p}`));
  };
  const http = createHttp(handler);
  const https = createHttps({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, handler);
  // One port for both: a TLS connection starts with a handshake record (first byte 0x16).
  const tcp = createTcp({ pauseOnConnect: true }, (socket) => {
    socket.on('error', () => {});
    socket.once('readable', () => {
      const first = socket.read(1);
      if (!first) return socket.destroy();
      socket.unshift(first);
      (first[0] === 0x16 ? https : http).emit('connection', socket);
      socket.resume();
    });
  });
  await new Promise((ok) => tcp.listen(0, '127.0.0.1', ok));
  return {
    port: tcp.address().port,
    requests,
    shortLinks,
    framePages,
    close: () => {
      tcp.close();
      http.close();
      https.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Launches Chromium with the built extension; resolves when its service worker runs. `hosts` maps
 * hostnames to other local ports (`{'bao-cao.example.vn': 8443}`); every other name goes to `port`.
 * With `dist: null` nothing is loaded from a folder: the extension must come the way an
 * organisation installs it (ExtensionInstallForcelist), so the browser's background networking,
 * which runs its extension updater, stays on (every name it calls still maps to `port`).
 */
export async function launch(port, { lang = 'vi', dist = DIST, profile: reuse, hosts = {} } = {}) {
  // A given profile is reused (a browser restart) and kept; otherwise a fresh one is made and removed.
  const profile = reuse ?? mkdtempSync(join(tmpdir(), 'canhgiac-profile-'));
  // Downloads land in the profile, never in the user's own folder.
  const downloadsDir = join(profile, 'Downloads');
  mkdirSync(join(profile, 'Default'), { recursive: true });
  mkdirSync(downloadsDir, { recursive: true });
  writeFileSync(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({ download: { default_directory: downloadsDir, prompt_for_download: false, directory_upgrade: true } }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    // On Linux, Chromium takes its UI language from the environment; --lang alone is not enough.
    env: { ...process.env, LANGUAGE: lang === 'vi' ? 'vi' : 'en_US', LANG: lang === 'vi' ? 'vi_VN.UTF-8' : 'en_US.UTF-8' },
    locale: lang === 'vi' ? 'vi-VN' : 'en-US',
    ignoreDefaultArgs: dist ? [] : ['--disable-extensions', '--disable-background-networking'],
    args: [
      '--headless=new',
      '--no-sandbox',
      ...(dist ? ['--disable-background-networking'] : []),
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--lang=${lang === 'vi' ? 'vi' : 'en-US'}`,
      ...(dist ? [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`] : []),
      `--host-resolver-rules=${[...Object.entries(hosts).map(([h, p]) => `MAP ${h} 127.0.0.1:${p}`), `MAP * 127.0.0.1:${port}`].join(',')}`,
      '--ignore-certificate-errors',
    ],
  });
  // Playwright takes downloads over through DevTools, and Chromium then skips extensions'
  // downloads.onDeterminingFilename. Hand downloads back to the browser, as for a real user.
  const cdp = await context.browser().newBrowserCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const ours = (w) => w.url().startsWith('chrome-extension://') && w.url().endsWith('/background.js');
  // A force-installed copy arrives later, from the browser's updater: the caller waits for it.
  const worker = !dist
    ? null
    : (context.serviceWorkers().find(ours) ?? (await context.waitForEvent('serviceworker', { predicate: ours, timeout: 20_000 })));
  // One tab stays open for the whole session: closing the last tab breaks new ones.
  const keeper = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    worker,
    keeper,
    downloadsDir,
    /** This copy's origin: EXT_ORIGIN unless the copy was loaded without the manifest key. */
    origin: worker?.url().replace(/background\.js$/, '') ?? null,
    profile,
    close: async () => {
      await context.close();
      if (!reuse) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the test server and Chromium with an altered copy of the built extension: `alter(dir)`
 * changes the copy (made without the `_metadata` a browser may have written into dist/) first.
 * Resolves with `{server, browser, close}`; `close` also removes the copy.
 */
export async function launchAltered(tag, alter, options = {}) {
  const copy = mkdtempSync(join(tmpdir(), `canhgiac-${tag}-`));
  const remove = () => rmSync(copy, { recursive: true, force: true });
  try {
    cpSync(DIST, copy, { recursive: true, filter: (src) => !src.includes('_metadata') });
    alter(copy);
  } catch (e) {
    remove();
    throw e;
  }
  const server = await startServer();
  const browser = await launch(server.port, { ...options, dist: copy }).catch((e) => {
    server.close();
    remove();
    throw e;
  });
  const close = async () => {
    await browser.close();
    server.close();
    remove();
  };
  return { server, browser, close };
}

/** Sends `message` to the worker from the options page, as the product's own pages do. */
export async function fromOptionsPage(context, message) {
  const page = await context.newPage();
  await page.goto(`${EXT_ORIGIN}options.html`);
  const answer = await page.evaluate((m) => chrome.runtime.sendMessage(m), message);
  await page.close();
  return answer;
}

/** The live extension service worker (a stopped one is replaced on the next event). */
export async function liveWorker(context) {
  const ours = (w) => w.url().startsWith('chrome-extension://') && w.url().endsWith('/background.js');
  const alive = context.serviceWorkers().filter(ours);
  if (alive.length) return alive[alive.length - 1];
  return context.waitForEvent('serviceworker', { predicate: ours, timeout: 20_000 });
}

/**
 * Stops the extension's worker (as the browser does after 30 s idle) and wakes it with a
 * navigation to `url` in a new tab; returns that tab.
 */
export async function restartWorkerWith(context, url) {
  const page = await open(context, 'about:blank');
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  await page.goto(url).catch(() => {});
  return page;
}

/**
 * Waits until the managed policy Chromium read from its policy folder reaches the worker's
 * `chrome.storage.managed` with `key` set: Chromium delivers it some seconds after start.
 */
export async function waitForManaged(context, key, timeout = 30_000) {
  const worker = await liveWorker(context);
  for (const deadline = Date.now() + timeout; ; ) {
    const managed = await worker.evaluate(() => chrome.storage.managed.get(null)).catch(() => ({}));
    if (managed[key] !== undefined) return worker;
    if (Date.now() > deadline) throw new Error('managed policy never reached chrome.storage.managed');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Takes the warning page's deliberate second step, as a user would: open "continue anyway",
 * tick that the risk is understood, press continue. */
export async function continueAnyway(page) {
  // A page made where a framed warning met the tab's own may get a zero-height viewport in
  // headless Chromium (see waitForWarning); a person's window always has one, so give it back.
  if ((await page.evaluate(() => innerHeight)) < 100) await page.setViewportSize({ width: 1280, height: 720 });
  if ((await page.evaluate(() => innerHeight)) > 0) {
    await page.click('details.continue summary');
    await page.check('#understand');
    await page.click('#continue');
    return;
  }
  // Some such pages keep no viewport at all, and nothing can be clicked on them: the same three
  // steps from the keyboard, as a keyboard user takes them (Enter opens the summary, Space ticks).
  await page.focus('details.continue summary');
  await page.keyboard.press('Enter');
  await page.focus('#understand');
  await page.keyboard.press('Space');
  await page.waitForSelector('#continue:not([disabled])', { state: 'attached' });
  await page.focus('#continue');
  await page.keyboard.press('Enter');
}

/** Waits until `page` shows the warning page with its content rendered. */
export async function waitForWarning(page, { timeout = 15_000, origin = EXT_ORIGIN } = {}) {
  const deadline = Date.now() + timeout;
  const left = () => Math.max(1, deadline - Date.now());
  // A tab may be sent to the warning twice (a declarativeNetRequest redirect, then the worker):
  // a navigation cut short by the next one is not a failure, so wait for the page that stays.
  for (;;) {
    try {
      await page.waitForURL((u) => u.href.startsWith(`${origin}warning.html`), { timeout: left(), waitUntil: 'commit' });
      // 'attached', not 'visible': when a framed warning and the tab's own warning meet, headless
      // Chromium sometimes hands the new page a zero-height viewport, which hides nothing from a user.
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: left() });
      return page;
    } catch (e) {
      if (page.isClosed() || Date.now() >= deadline || !/ERR_ABORTED|detached|destroyed|navigat/i.test(e.message)) throw e;
    }
  }
}

/** Opens `url` in a fresh tab; resolves with the tab once navigation settles or is replaced. */
export async function open(context, url) {
  const page = await context.newPage();
  await page.goto(url).catch(() => {});
  return page;
}

/** Downloads of `url` in the browser's list, as the extension's worker sees them. */
export async function downloadsOf(context, url) {
  const worker = await liveWorker(context);
  return worker.evaluate((u) => chrome.downloads.search({ url: u }), url);
}

/** Resolves with the number of completed downloads of `url` once there is one (bounded wait). */
export async function completedDownload(context, url, timeout = 15_000) {
  const worker = await liveWorker(context);
  return worker.evaluate(
    ([u, ms]) =>
      new Promise((resolve, reject) => {
        const check = async () => {
          const done = (await chrome.downloads.search({ url: u })).filter((d) => d.state === 'complete');
          if (done.length) {
            clearTimeout(timer);
            chrome.downloads.onChanged.removeListener(check);
            resolve(done.length);
          }
        };
        const timer = setTimeout(() => {
          chrome.downloads.onChanged.removeListener(check);
          reject(new Error(`no completed download of ${u} in ${ms} ms`));
        }, ms);
        chrome.downloads.onChanged.addListener(check);
        check();
      }),
    [url, timeout],
  );
}
