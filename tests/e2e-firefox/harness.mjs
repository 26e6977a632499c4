// Firefox pieces of the end-to-end tests: Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi, the built Firefox copy (dist/firefox/) installed as a temporary add-on, and a
// local proxy in place of Chromium's --host-resolver-rules, so tests use the real scam-shaped
// hostnames. The test server and its files (APK bytes, short links, frames) are the Chromium
// suite's own (tests/e2e/harness.mjs).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { ROOT } from '../e2e/harness.mjs';

export { APK, PDF, startServer } from '../e2e/harness.mjs';

export const FIREFOX = '/usr/bin/firefox-esr';
export const DIST_FIREFOX = join(ROOT, 'dist', 'firefox');
export const GECKO_ID = JSON.parse(readFileSync(join(DIST_FIREFOX, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
/** The fixed moz-extension origin every test profile gives the add-on (extensions.webextensions.uuids). */
export const UUID = '6c1f5d0e-2b7a-4c39-9e4d-0a8b3f2c6d11';
export const EXT_ORIGIN = `moz-extension://${UUID}/`;

/** The page tests open extension pages from (see openExtensionPage); the harness's own host. */
export const START_HOST = 'start.canhgiac.test';

/** How long a test waits for something the browser does on its own (a warning, a download). */
export const WAIT_MS = 15_000;

/**
 * A forward proxy that answers for every hostname: plain requests go to the test server as they
 * are, CONNECT tunnels end in it too (its port tells TLS from HTTP), or in `hosts[name]`'s port.
 * Firefox has no --host-resolver-rules; this is how it reaches the test server by real names.
 */
export async function startProxy(port, hosts = {}) {
  const tunnels = [];
  const proxy = createServer((client) => {
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0 && head.length < 64 * 1024) return;
      client.off('data', onData);
      const line = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const m = /^CONNECT ([^:\s]+):(\d+) /.exec(line);
      const upstream = connect(m ? (hosts[m[1]] ?? port) : port, '127.0.0.1');
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      tunnels.push(m ? m[1] : line);
      if (m) {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
      } else {
        upstream.write(head);
      }
      client.pipe(upstream).pipe(client);
    };
    client.on('data', onData);
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  return { port: proxy.address().port, tunnels, close: () => proxy.close() };
}

/**
 * Launches Firefox ESR with the built Firefox copy installed (unless `install` is false); `lang`
 * is `vi` or `en`; `prefs` adds Firefox preferences. Resolves
 * with `{browser, downloadsDir, ext(), open(url), close()}`; `ext()` is an extension page that
 * tests use to call extension APIs and send messages as the product's own pages do.
 */
export async function launch(port, { lang = 'vi', hosts = {}, install = true, prefs = {} } = {}) {
  const proxy = await startProxy(port, hosts);
  const profile = mkdtempSync(join(tmpdir(), 'canhgiac-firefox-'));
  const downloadsDir = join(profile, 'Downloads');
  mkdirSync(downloadsDir);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
      'intl.locale.requested': lang === 'vi' ? 'vi' : 'en-US',
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'network.dns.disableIPv6': true,
      // Downloads go straight to the profile's folder, never asked about, never the user's own.
      'browser.download.dir': downloadsDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.alwaysOpenPanel': false,
      'browser.download.panel.shown': true,
      'pdfjs.disabled': true,
      // No traffic of Firefox's own that is not about the test.
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'browser.safebrowsing.downloads.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'extensions.getAddons.cache.enabled': false,
      'browser.region.network.url': '',
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      ...prefs,
    },
    env: { ...process.env, LANG: lang === 'vi' ? 'vi_VN.UTF-8' : 'en_US.UTF-8', LANGUAGE: lang === 'vi' ? 'vi' : 'en_US' },
  });
  try {
    // Without `install`, the add-on must come another way (the admin kit's policy).
    if (install) await browser.installExtension(DIST_FIREFOX);
  } catch (e) {
    await browser.close();
    throw e;
  }
  let extPage = null;
  const self = {
    browser,
    proxy,
    downloadsDir,
    profile,
    /** An extension page kept open for calls into the extension's APIs. */
    async ext() {
      if (extPage && !extPage.isClosed()) return extPage;
      // WebDriver BiDi may not navigate a tab to a moz-extension:// page. A web page may open the
      // web-accessible warning page, and an extension page may open any of the add-on's pages.
      extPage = await self.openExtensionPage('help.html');
      return extPage;
    },
    /** Opens the add-on's page `path` (with its query) in a new tab; resolves once it has loaded. */
    async openExtensionPage(path) {
      const page = await browser.newPage();
      await page.goto(`http://${START_HOST}/`).catch(() => {});
      await page.evaluate((u) => (location.href = u), `${EXT_ORIGIN}warning.html`);
      await until(async () => (await hrefOf(page)).startsWith(`${EXT_ORIGIN}warning.html`), 'the warning page opens');
      await page.evaluate((u) => (location.href = u), `${EXT_ORIGIN}${path}`);
      await until(async () => (await hrefOf(page)) === `${EXT_ORIGIN}${path}` && (await page.evaluate(() => document.readyState)) === 'complete', `${path} opens`);
      return page;
    },
    /** Opens `url` in a new tab; resolves once it has loaded, failed or been replaced. */
    async open(url) {
      const page = await browser.newPage();
      await page.goto(url, { timeout: WAIT_MS }).catch(() => {});
      return page;
    },
    /** Calls `fn(arg)` in an extension page, where `browser.*` is the add-on's API. */
    async call(fn, arg) {
      return (await self.ext()).evaluate(fn, arg);
    },
    /** The files in the download folder (Firefox's partial `.part` files included). */
    downloaded: () => readdirSync(downloadsDir),
    async close() {
      await browser.close().catch(() => {});
      proxy.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  // The first page is the extension page; a window always keeps a tab.
  if (install) await self.ext();
  return self;
}

/** A tab's real address: after a redirect into a moz-extension:// page, page.url() may lag. */
export const hrefOf = (page) => page.evaluate(() => location.href).catch(() => '');

/** Waits until `page` shows the warning page, rendered; resolves with the page. */
export async function waitForWarning(page, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const href = await hrefOf(page);
    if (href.startsWith(`${EXT_ORIGIN}warning.html`)) {
      const ready = await page.evaluate(() => document.body?.dataset.ready === 'true').catch(() => false);
      if (ready) return page;
    }
    if (Date.now() > deadline) throw new Error(`no warning page in ${timeout} ms (the tab is at ${href})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for a tab (other than those in `known`) that shows the warning page. */
export async function waitForWarningTab(browser, known, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const p of await browser.pages()) {
      if (known.includes(p)) continue;
      if ((await hrefOf(p)).startsWith(`${EXT_ORIGIN}warning.html`)) return waitForWarning(p, Math.max(1000, deadline - Date.now()));
    }
    if (Date.now() > deadline) throw new Error(`no new warning tab in ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The reason codes the warning page lists. */
export const reasonCodes = (page) => page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));

/** Takes the warning page's deliberate second step: open "continue anyway", confirm, continue. */
export async function continueAnyway(page) {
  await page.click('details.continue summary');
  await page.click('#understand');
  await page.click('#continue');
}

/** Resolves once `check()` is true; fails after `timeout` with `what`. */
export async function until(check, what, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

