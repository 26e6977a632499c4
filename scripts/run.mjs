// `./build.sh run`: the built extension in a real browser with a fresh profile, on a local page of
// live examples. Every hostname goes to a small local server (--host-resolver-rules), so nothing on
// the real web is touched and no real scam site is ever opened.
//
//   node scripts/run.mjs [BROWSER] [--headless] [--shots DIR] [--lang vi|en]
//
// BROWSER is Debian's /usr/bin/chromium unless named (a path, or a command such as google-chrome
// or microsoft-edge: any Chromium-based browser). With a display (DISPLAY or WAYLAND_DISPLAY) the
// browser opens on the examples page and the script waits until it is closed. Without one, or with
// --headless, it visits each example itself, prints what happened, and saves a 1280×800 screenshot
// of each (the store's screenshot size) into --shots DIR (default dist/run/), with summary.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { DIST, PDF, ROOT, startServer, waitForWarning } from '../tests/e2e/harness.mjs';

/** The store's screenshot size (Chrome Web Store: 1280×800 or 640×400; Edge Add-ons accepts it). */
const SHOT = { width: 1280, height: 800 };
/** Longest wait for one example's outcome: the worker may be starting the engine. */
const EXAMPLE_TIMEOUT_MS = 15_000;
const INDEX = 'https://vi-du.example.vn/';

/** Each example: where it starts, what the user should see, and how to tell it happened. */
const EXAMPLES = [
  {
    id: 'app-file',
    title: { vi: 'Liên kết tải tệp cài ứng dụng (.apk) từ ngoài CH Play', en: 'A link to an app file (.apk) outside Google Play' },
    url: 'https://tai-ung-dung.top/tai-ve/VNeID.apk',
    expect: 'warning',
  },
  {
    id: 'lookalike',
    title: { vi: 'Trang giả mạo cổng Dịch vụ công', en: 'A site imitating the public-services portal' },
    url: 'https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap',
    expect: 'warning',
  },
  {
    id: 'shortener',
    title: { vi: 'Liên kết rút gọn, chuyển hai lần tới tệp cài ứng dụng', en: 'A short link redirecting twice to an app file' },
    url: 'https://bit.ly/vneid-moi',
    expect: 'warning',
  },
  {
    id: 'chat',
    title: { vi: 'Trang trò chuyện có liên kết nguy hiểm (được đánh dấu)', en: 'A chat page with risky links (marked)' },
    url: 'https://chat.zalo.me/',
    expect: 'marked',
  },
  {
    id: 'pdf',
    title: { vi: 'Tệp PDF bình thường: tải về, không cảnh báo', en: 'An ordinary PDF: downloads with no warning' },
    url: 'https://sonoivu.example.gov.vn/van-ban/cong-van.pdf',
    expect: 'download',
  },
];

/** Messages in the chat example, each from a stranger or the user: three risky links (each marked
 * by the engine) and two ordinary ones. */
const CHAT_LINKS = [
  ['Người lạ', 'https://tai-ung-dung.top/VNeID.apk', 'Cập nhật VNeID bản mới tại đây'],
  ['Người lạ', 'https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap', 'Xác minh cư trú'],
  ['Bạn', 'https://vnexpress.net/thoi-su', 'Tin thời sự hôm nay'],
  ['Người lạ', 'https://tin-tuc-moi.top/bai-viet', 'vneid.gov.vn'],
  ['Bạn', 'https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid', 'VNeID trên CH Play'],
];
/** The short links: each hop answers 302 with the next. */
const REDIRECTS = new Map([
  ['bit.ly/vneid-moi', 'https://tinyurl.com/cap-nhat-vneid'],
  ['tinyurl.com/cap-nhat-vneid', 'https://tai-ung-dung.top/tai-ve/VNeID.apk'],
]);

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function parseArgs(argv) {
  const opts = { browser: '/usr/bin/chromium', headless: false, shots: join(ROOT, 'dist', 'run'), lang: 'vi' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--headless') opts.headless = true;
    else if (a === '--shots') opts.shots = resolve(value());
    else if (a === '--lang') {
      opts.lang = value();
      if (!['vi', 'en'].includes(opts.lang)) throw new Error(`--lang must be vi or en, not ${opts.lang}`);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else opts.browser = a;
  }
  if (!isAbsolute(opts.browser)) {
    try {
      opts.browser = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', opts.browser], { encoding: 'utf8' }).trim();
    } catch {
      throw new Error(`no browser called ${opts.browser} here (give its path, or install Debian's: apt-get install chromium)`);
    }
  }
  if (!existsSync(opts.browser)) throw new Error(`${opts.browser} not found (Debian's Chromium: apt-get install chromium chromium-l10n)`);
  if (/firefox/i.test(opts.browser)) throw new Error('this command drives Chromium-based browsers; Firefox is not supported here');
  return opts;
}

function indexPage(lang) {
  const items = EXAMPLES.map((e) => `<li><a href="${esc(e.url)}" id="${e.id}">${esc(e.title[lang])}</a><br><code>${esc(e.url)}</code></li>`).join('');
  const [title, lead] =
    lang === 'vi'
      ? ['Cảnh Giác — ví dụ', 'Mọi địa chỉ dưới đây do một máy chủ trên chính máy này trả lời; không trang thật nào được mở. Bấm từng liên kết để xem Cảnh Giác làm gì.']
      : ['Cảnh Giác — examples', 'Every address below is answered by a server on this machine; no real site is opened. Click each link to see what Cảnh Giác does.'];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem} li{margin:.8rem 0} code{color:#555}</style></head>
<body><h1>${title}</h1><p>${lead}</p><ol>${items}</ol></body></html>`;
}

function chatPage() {
  const messages = CHAT_LINKS.map(([who, href, text]) => `<div class="msg"><b>${esc(who)}:</b> <a href="${esc(href)}" target="_blank" rel="noopener">${esc(text)}</a></div>`).join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Zalo (ví dụ)</title>
<style>body{font:15px sans-serif;margin:0;background:#eef3fb} header{background:#0068ff;color:#fff;padding:12px 16px;font-weight:bold}
#log{padding:16px} .msg{background:#fff;border-radius:8px;padding:8px 12px;margin:8px 0;max-width:36rem}</style></head>
<body><header>Zalo — trò chuyện (trang ví dụ cục bộ)</header><div id="log" role="log">${messages}</div></body></html>`;
}

/** Serves the examples; everything else falls to the test server's defaults (APKs, pages). */
async function serve(lang) {
  return startServer((req, url, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const next = REDIRECTS.get(host + url.pathname);
    if (next) {
      res.writeHead(302, { location: next });
      res.end();
      return true;
    }
    const html = (body) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
      return true;
    };
    if (host === 'vi-du.example.vn' && url.pathname === '/') return html(indexPage(lang));
    if (host === 'chat.zalo.me' && url.pathname === '/') return html(chatPage());
    if (url.pathname.endsWith('.pdf')) {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="cong-van.pdf"' });
      res.end(PDF);
      return true;
    }
    return false;
  });
}

async function launchBrowser(opts, port, headless) {
  const profile = mkdtempSync(join(tmpdir(), 'canhgiac-run-'));
  const downloads = join(profile, 'Downloads');
  mkdirSync(join(profile, 'Default'), { recursive: true });
  mkdirSync(downloads);
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ download: { default_directory: downloads, prompt_for_download: false } }));
  const vi = opts.lang === 'vi';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.browser,
    headless,
    viewport: headless ? SHOT : null,
    env: { ...process.env, LANGUAGE: vi ? 'vi' : 'en_US', LANG: vi ? 'vi_VN.UTF-8' : 'en_US.UTF-8' },
    locale: vi ? 'vi-VN' : 'en-US',
    args: [
      ...(headless ? ['--headless=new'] : []),
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      `--lang=${vi ? 'vi' : 'en-US'}`,
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      `--host-resolver-rules=MAP * 127.0.0.1:${port}`,
      '--ignore-certificate-errors',
    ],
  });
  // Downloads go to the browser, as for a user, so the extension sees each one.
  const cdp = await context.browser()?.newBrowserCDPSession();
  await cdp?.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const ours = (w) => w.url().startsWith('chrome-extension://') && w.url().endsWith('/background.js');
  const worker = context.serviceWorkers().find(ours) ?? (await context.waitForEvent('serviceworker', { predicate: ours, timeout: 20_000 }));
  return { context, worker, origin: worker.url().replace(/background\.js$/, ''), downloads, profile };
}

/** Waits for the warning page in `page`; its reason codes, or null when none came. */
async function warningIn(page, origin) {
  try {
    await waitForWarning(page, { timeout: EXAMPLE_TIMEOUT_MS, origin });
    return await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));
  } catch (e) {
    return null;
  }
}

/** A small page (the popup) centred on a 1280×800 canvas, as the store wants every screenshot. */
async function framed(context, png, file, caption) {
  const page = await context.newPage();
  await page.setViewportSize(SHOT);
  await page.setContent(`<!doctype html><meta charset="utf-8"><body style="margin:0;height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;background:#e9eef5;font:20px sans-serif;color:#223">
<p>${esc(caption)}</p><img style="box-shadow:0 4px 24px #0004;border-radius:8px" src="data:image/png;base64,${png.toString('base64')}"></body>`);
  await page.screenshot({ path: file });
  await page.close();
}

async function visitAll(opts, browser, server) {
  const { context, origin } = browser;
  mkdirSync(opts.shots, { recursive: true });
  const results = [];
  const shot = (name) => join(opts.shots, `${name}.png`);
  for (const ex of EXAMPLES) {
    const page = await context.newPage();
    const started = Date.now();
    const result = { id: ex.id, url: ex.url, expected: ex.expect, screenshot: null };
    if (ex.expect === 'download') {
      const before = server.requests.length;
      await page.goto(ex.url).catch(() => {});
      // The extension lets an ordinary file through: the browser finishes it and no warning opens.
      const done = await browser.worker
        .evaluate(
          ([u, ms]) =>
            new Promise((ok) => {
              const t0 = Date.now();
              const look = async () => {
                const d = (await chrome.downloads.search({ url: u }))[0];
                if (d?.state === 'complete' || d?.state === 'interrupted' || Date.now() - t0 > ms) return ok(d ? { state: d.state, filename: d.filename } : null);
                setTimeout(look, 100);
              };
              look();
            }),
          [ex.url, EXAMPLE_TIMEOUT_MS],
        )
        .catch(() => null);
      const warned = context.pages().some((p) => p.url().startsWith(`${origin}warning.html`));
      result.outcome = done?.state === 'complete' && !warned ? 'download' : warned ? 'warning' : `no completed download (${done?.state ?? 'none'})`;
      result.detail = done ? `downloaded ${done.filename.split('/').pop()}` : 'no download';
      result.requests = server.requests.length - before;
    } else if (ex.expect === 'marked') {
      await page.goto(ex.url).catch(() => {});
      const marked = await page
        .waitForFunction((n) => document.querySelectorAll('a[data-canhgiac]').length >= n, 3, { timeout: EXAMPLE_TIMEOUT_MS })
        .then(() => page.$$eval('a[data-canhgiac]', (as) => as.map((a) => a.getAttribute('href'))))
        .catch(() => []);
      result.outcome = marked.length >= 3 ? 'marked' : `${marked.length} links marked`;
      result.detail = `marked: ${marked.join(', ')}`;
      result.screenshot = shot(`${ex.id}`);
      await page.screenshot({ path: result.screenshot });
    } else {
      const apkBefore = server.requests.filter((r) => r.path.endsWith('.apk')).length;
      await page.goto(ex.url).catch(() => {});
      const codes = await warningIn(page, origin);
      result.outcome = codes ? 'warning' : `no warning (at ${page.url()})`;
      result.detail = codes ? `reasons: ${codes.join(', ')}` : '';
      result.apkRequested = server.requests.filter((r) => r.path.endsWith('.apk')).length > apkBefore;
      if (codes) {
        result.screenshot = shot(`warning-${ex.id}`);
        await page.screenshot({ path: result.screenshot });
      }
      if (codes && ex.id === 'lookalike') {
        // The popup for that tab, then the report form the warning's button opens.
        // The warning is an extension page: it can name its own tab without the tabs permission.
        const tabId = await page.evaluate(async () => (await chrome.tabs.getCurrent()).id);
        const popup = await context.newPage();
        await popup.setViewportSize({ width: 380, height: 560 });
        await popup.goto(`${origin}popup.html?tab=${tabId}`);
        await popup.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: EXAMPLE_TIMEOUT_MS }).catch(() => {});
        // The popup's own box, as the browser shows it under the toolbar button.
        const png = await popup.locator('body').screenshot();
        await popup.close();
        await framed(context, png, shot('popup'), opts.lang === 'vi' ? 'Cửa sổ Cảnh Giác cho thẻ đang mở' : 'The Cảnh Giác popup for the open tab');
        results.push({ id: 'popup', outcome: 'shown', screenshot: shot('popup') });
        const opened = context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${origin}report.html`), timeout: EXAMPLE_TIMEOUT_MS });
        await page.click('#report');
        const form = await opened.catch(() => null);
        if (form) {
          await form.setViewportSize(SHOT);
          await form.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: EXAMPLE_TIMEOUT_MS }).catch(() => {});
          await form.screenshot({ path: shot('report-form') });
          results.push({ id: 'report-form', outcome: 'shown', screenshot: shot('report-form') });
          await form.close();
        } else results.push({ id: 'report-form', outcome: 'the report form did not open' });
      }
    }
    result.ms = Date.now() - started;
    results.push(result);
    await page.close().catch(() => {});
  }
  const index = await context.newPage();
  await index.goto(INDEX);
  await index.screenshot({ path: shot('examples') });
  await index.close();
  return results;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`run: ${e.message}`);
    process.exit(2);
  }
  if (!existsSync(join(DIST, 'manifest.json'))) {
    console.error('run: dist/extension/ is missing; build it with ./build.sh');
    process.exit(2);
  }
  const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const headless = opts.headless || !display;
  const server = await serve(opts.lang);
  const browser = await launchBrowser(opts, server.port, headless);
  const cleanup = async () => {
    await browser.context.close().catch(() => {});
    server.close();
    rmSync(browser.profile, { recursive: true, force: true });
  };
  try {
    if (!headless) {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(INDEX);
      console.log(`${opts.browser} is open on ${INDEX} (served on this machine, port ${server.port}) with the extension from dist/extension/.`);
      console.log('Close the browser window (or press Ctrl+C here) to finish.');
      await new Promise((done) => {
        browser.context.on('close', done);
        // Ctrl+C or a stop signal still removes the temporary profile.
        for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, done);
      });
      return;
    }
    if (!opts.headless) console.log('No display here (DISPLAY and WAYLAND_DISPLAY are unset): running headless, visiting each example myself.');
    const results = await visitAll(opts, browser, server);
    const ok = (r) => r.expected === undefined || r.outcome === r.expected;
    for (const r of results) {
      console.log(`${ok(r) ? 'ok  ' : 'FAIL'} ${r.id.padEnd(12)} ${r.outcome}${r.detail ? ` — ${r.detail}` : ''}${r.apkRequested ? ' (the APK was requested!)' : ''}`);
    }
    writeFileSync(join(opts.shots, 'summary.json'), JSON.stringify({ browser: opts.browser, lang: opts.lang, results }, null, 2));
    console.log(`screenshots and summary.json in ${opts.shots}`);
    if (!results.every(ok)) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

await main();
