// Issue 19 acceptance, in Debian's Firefox ESR with the built Firefox copy (dist/firefox/): pages,
// every kind of download hold (nothing ever lands in the download folder, not even briefly),
// lookalikes, redirect chains, the warning and its way past, the popup, the chat-page content
// script, and no request that carries browsing data.
import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { APK, continueAnyway, hrefOf, launch, reasonCodes, START_HOST, startServer, until, waitForWarning, waitForWarningTab } from './harness.mjs';

/** How long the slow body takes to arrive, in pieces: long enough that a hold made after the
 * download began would find a partial file on disk. */
const SLOW_BODY_MS = 3000;
const SLOW_PIECES = 10;

/** A chat.zalo.me page (where the content script runs): two risky links and two safe ones. */
const CHAT_PAGE = `<!doctype html><meta charset="utf-8"><title>Zalo</title><div role="log">
<p><a href="https://tai-ung-dung.top/VNeID.apk">Cập nhật VNeID</a></p>
<p><a href="https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap">Xác minh cư trú</a></p>
<p><a href="https://vnexpress.net/thoi-su">Tin thời sự</a></p>
<p><a href="https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid">VNeID trên CH Play</a></p></div>`;

let server;
let ff;
/** Hosts the test itself opens; the harness's own start page is one. */
const visitedHosts = new Set([START_HOST]);
/** Every name that appeared in the download folder, with when: a file there even briefly counts. */
const appeared = [];
let watcher;

/** Opens `url` in a new tab, noting its host as one the test visits. */
function visit(url) {
  visitedHosts.add(new URL(url).hostname);
  return ff.open(url);
}

/** Names that appeared in the download folder since index `from`, but the ordinary PDF. */
const landedSince = (from) => appeared.slice(from).filter((n) => !n.startsWith('bao-cao'));

/** The browser's download entries for `url` (as the add-on's API lists them). */
const downloadsOf = (url) => ff.call((u) => browser.downloads.search({ url: u }), url);

before(async () => {
  server = await startServer((req, url, res) => {
    const p = url.pathname;
    if ((req.headers.host ?? '').replace(/:\d+$/, '') === 'chat.zalo.me' && p === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(CHAT_PAGE);
      return true;
    }
    if (p === '/cham/tai-ve') {
      // An app package trickled out slowly: headers now, the body in pieces over SLOW_BODY_MS.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="VNeID-cham.apk"' });
      let i = 0;
      const step = Math.ceil(APK.length / SLOW_PIECES);
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(APK.subarray(i * step, (i + 1) * step));
        if (++i >= SLOW_PIECES) {
          clearInterval(timer);
          res.end();
        }
      }, SLOW_BODY_MS / SLOW_PIECES);
      return true;
    }
    if (p === '/ung-dung/tai-ve') {
      // Only the MIME type says what it is: no name, no file extension in the address.
      res.writeHead(200, { 'content-type': 'application/vnd.android.package-archive' });
      res.end(APK);
      return true;
    }
    if (p === '/trang-blob') {
      // The page carries the package itself and saves it from a blob: no response to hold.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><title>blob</title>
<button id="save">Lưu</button><script>
document.getElementById('save').addEventListener('click', () => {
  const a = document.createElement('a');
  a.download = 'VNeID-blob.apk';
  a.href = URL.createObjectURL(new Blob([Uint8Array.from(atob('${APK.toString('base64')}'), (c) => c.charCodeAt(0))]));
  document.body.append(a);
  a.click();
});
</script>`);
      return true;
    }
    if (p === '/trang-tai') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><title>tai</title>
<a id="link" href="/get?name=Zalo-Plus.apk">Tải Zalo Plus</a>
<button id="fetch" onclick="fetch('/get?name=Ngan-Hang.apk').then(r => r.blob()).then(b => { document.title = 'got ' + b.size; }, e => { document.title = 'refused'; })">Tải</button>`);
      return true;
    }
    return false;
  });
  ff = await launch(server.port, { lang: 'vi' });
  watcher = watch(ff.downloadsDir, (event, name) => appeared.push(String(name)));
});

after(async () => {
  watcher?.close();
  await ff?.close();
  server?.close();
});

describe('ordinary browsing is untouched', () => {
  test('a news site opens with no warning', async () => {
    const page = await visit('https://vnexpress.net/thoi-su');
    assert.equal(await page.title(), 'vnexpress.net/thoi-su');
    await page.close();
  });

  test('an ordinary PDF download lands in the download folder', async () => {
    // The control for every hold below: a download does land here when nothing stops it.
    const page = await visit('https://files.so-tai-chinh.vn/report.pdf');
    await until(() => ff.downloaded().includes('bao-cao.pdf'), 'bao-cao.pdf in the download folder');
    const [entry] = await downloadsOf('https://files.so-tai-chinh.vn/report.pdf');
    await until(async () => (await downloadsOf('https://files.so-tai-chinh.vn/report.pdf'))[0]?.state === 'complete', 'the PDF completes');
    assert.ok(entry);
    await page.close();
  });

  test('the popup shows the tab\'s verdict, and an official store page gets the badge', async () => {
    const url = 'https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid';
    const page = await visit(url);
    const tabId = await ff.call(async (u) => (await browser.tabs.query({ url: u }))[0]?.id, url);
    assert.equal(typeof tabId, 'number');
    await until(async () => (await ff.call((id) => browser.action.getBadgeText({ tabId: id }), tabId)) === '✓', 'the official badge');
    const popup = await ff.openExtensionPage(`popup.html?tab=${tabId}`);
    await popup.waitForSelector('body[data-ready="true"]');
    assert.equal(await popup.$eval('#state', (e) => e.dataset.verdict), 'official');
    const codes = await popup.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));
    assert.ok(codes.includes('official_store'), codes.join());
    assert.ok(await popup.$('#report'), 'a report button');
    await popup.close();
    await page.close();
  });
});

describe('pages', () => {
  test('an app-file URL never loads: the tab shows the warning, in Vietnamese', async () => {
    assert.equal(await ff.call(() => browser.i18n.getUILanguage()), 'vi');
    const before = server.requests.length;
    const page = await visit('https://tai-ung-dung.top/VNeID.apk');
    await waitForWarning(page);
    assert.ok((await reasonCodes(page)).includes('app_package_in_path'));
    assert.equal(await page.$eval('html', (e) => e.lang), 'vi');
    assert.equal(await page.$eval('h1', (e) => e.textContent), 'Cảnh Giác đã chặn một tệp cài đặt ứng dụng');
    assert.match(await page.$eval('#site', (e) => e.textContent), /tai-ung-dung\.top/);
    assert.deepEqual(server.requests.slice(before).filter((r) => r.path.endsWith('.apk')).map((r) => r.path), [], 'the APK was never requested');
    await page.close();
  });

  test('a lookalike of a government site is warned as one', async () => {
    const page = await visit('https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap');
    await waitForWarning(page);
    // The page shows the kind of warning the engine named (its URL may be ?id=… or, where the
    // blocking listener stopped the request first, #<address>).
    assert.equal(await page.$eval('body', (b) => b.dataset.kind), 'lookalike');
    const codes = await reasonCodes(page);
    assert.ok(codes.some((c) => c.startsWith('lookalike_')), codes.join());
    await page.close();
  });

  test('a shortener redirecting to a dangerous page is judged where it lands', async () => {
    visitedHosts.add('apkpure.com');
    server.shortLinks.set('/s/eTax2026', 'https://apkpure.com/etax/vn.gov.gdt.etax');
    const page = await visit('https://bit.ly/s/eTax2026');
    await waitForWarning(page);
    assert.equal(await page.$eval('#site .domain', (e) => e.textContent), 'apkpure.com');
    await page.close();
  });

  test('continue anyway is a deliberate second step and opens the page', async () => {
    const url = 'https://apkpure.com/vneid/vn.gov.bocongan.vneid';
    const page = await visit(url);
    await waitForWarning(page);
    assert.equal(await page.$eval('#continue', (b) => b.disabled), true, 'disabled until the user confirms');
    await continueAnyway(page);
    await until(async () => (await hrefOf(page)) === url, `the tab reaches ${url}`);
    await page.close();
  });
});

describe('downloads are held before a byte lands', () => {
  /** Starts a download with `start()`; expects a warning tab naming `file`, and nothing on disk. */
  async function held(start, file, url) {
    const from = appeared.length;
    const listed = ff.downloaded();
    const known = await ff.browser.pages();
    const page = await start();
    const warning = await waitForWarningTab(ff.browser, known);
    assert.match(await warning.$eval('main', (e) => e.textContent), new RegExp(file.replace('.', '\\.')));
    const codes = await reasonCodes(warning);
    assert.ok(codes.some((c) => ['app_package_file', 'app_package_mime'].includes(c)), codes.join());
    // Give a download that slipped through the time to write something.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(landedSince(from), [], 'nothing appeared in the download folder');
    assert.deepEqual(ff.downloaded().filter((n) => !listed.includes(n)), []);
    if (url) assert.deepEqual(await downloadsOf(url), [], 'no download entry was made');
    await warning.close();
    await page?.close();
    return warning;
  }

  test('an APK sent in one burst, named by Content-Disposition', async () => {
    const url = 'https://cdn.tep-chia-se.net/get?id=42';
    await held(() => visit(url), 'VNeID.apk', url);
  });

  test('an APK whose body arrives slowly', async () => {
    const url = 'https://cdn.tep-chia-se.net/cham/tai-ve';
    await held(() => visit(url), 'VNeID-cham.apk', url);
  });

  test('an APK known only by its MIME type', async () => {
    const url = 'https://phan-mem.example.vn/ung-dung/tai-ve';
    // No file name anywhere: the warning names where it came from (the reason says the server
    // sent an app package; no raw MIME type is shown).
    await held(() => visit(url), 'phan-mem.example.vn', url);
  });

  test('an APK behind a chain of redirects through a shortener', async () => {
    for (const h of ['bit.ly', 'tai-ung-dung.top', 'cdn.tep-chia-se.net']) visitedHosts.add(h);
    server.shortLinks.set('/s/thue2026', 'https://tai-ung-dung.top/s/tai-app');
    server.shortLinks.set('/s/tai-app', 'https://cdn.tep-chia-se.net/get?id=7&name=eTax-Mobile.apk');
    const known = await ff.browser.pages();
    const page = await visit('https://bit.ly/s/thue2026');
    const warning = await waitForWarningTab(ff.browser, known);
    assert.match(await warning.$eval('main', (e) => e.textContent), /eTax-Mobile\.apk/);
    assert.equal(await warning.$eval('#site .domain', (e) => e.textContent), 'tep-chia-se.net');
    assert.deepEqual(ff.downloaded().filter((n) => !n.startsWith('bao-cao')), []);
    await warning.close();
    await page.close();
  });

  test('an APK link clicked on a page', async () => {
    const page = await visit('https://chia-se-file.example.vn/trang-tai');
    await held(async () => {
      await page.click('#link');
      return null;
    }, 'Zalo-Plus.apk');
    await page.close();
  });

  test('APK bytes a page fetches to save itself', async () => {
    const page = await visit('https://chia-se-file.example.vn/trang-tai');
    await held(async () => {
      await page.click('#fetch');
      return null;
    }, 'Ngan-Hang.apk');
    // The page never received the bytes.
    await until(async () => (await page.title()) === 'refused', 'the page\'s fetch is refused');
    await page.close();
  });

  test('an APK a page saves from a blob: is removed once it appears, and warned', async () => {
    // No request carries it, so no response can be held: the second line (downloads.onCreated)
    // removes the file and its entry. It may be on disk for a moment; that is the known limit.
    const page = await visit('https://chia-se-file.example.vn/trang-blob');
    const from = appeared.length;
    const known = await ff.browser.pages();
    await page.click('#save');
    const warning = await waitForWarningTab(ff.browser, known);
    assert.match(await warning.$eval('main', (e) => e.textContent), /VNeID-blob\.apk/);
    console.log(`# blob: download: the file was on disk briefly: ${appeared.slice(from).some((n) => n.includes('VNeID-blob'))}`);
    await until(() => !ff.downloaded().some((n) => n.includes('VNeID-blob')), 'the blob file is removed');
    await until(async () => (await ff.call(() => browser.downloads.search({ filenameRegex: 'VNeID-blob' }))).length === 0, 'its entry is erased');
    await warning.close();
    await page.close();
  });

  test('continue anyway on a held download lets that file through once', async () => {
    const url = 'https://cdn.tep-chia-se.net/get?id=99&name=Tai-Lieu.apk';
    visitedHosts.add('cdn.tep-chia-se.net');
    const known = await ff.browser.pages();
    const page = await visit(url);
    const warning = await waitForWarningTab(ff.browser, known);
    await continueAnyway(warning);
    await until(() => ff.downloaded().includes('Tai-Lieu.apk'), 'Tai-Lieu.apk in the download folder');
    await until(async () => (await downloadsOf(url)).some((d) => d.state === 'complete'), 'the download completes');
    // Used up: the same file is held again.
    const again = await held(() => visit(url), 'Tai-Lieu.apk');
    assert.ok(again);
    assert.equal((await downloadsOf(url)).filter((d) => d.state === 'complete').length, 1);
    await warning.close().catch(() => {});
    await page.close();
  });
});

describe('the chat-page content script', () => {
  test('risky links on a chat page are marked; safe ones are not', async () => {
    const chat = await startChat();
    const marked = await chat.$$eval('a[data-canhgiac]', (as) => as.map((a) => a.getAttribute('href')).sort());
    assert.deepEqual(marked, ['https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap', 'https://tai-ung-dung.top/VNeID.apk']);
    await chat.close();
  });
});

/** Opens the chat page; resolves once the content script has put its marks on. */
async function startChat() {
  const page = await visit('https://chat.zalo.me/');
  await page.waitForFunction(() => document.querySelectorAll('a[data-canhgiac]').length >= 2, { timeout: 15_000 });
  return page;
}

describe('privacy', () => {
  test('browsing causes no request from the add-on, and none carries a visited address', async () => {
    // Firefox's own services (settings, push, add-on blocklist) reach the proxy too; they are the
    // browser's, not the add-on's, and none may carry what the user visited.
    const mozillaService = (host) => /(^|\.)(mozilla\.(com|net|org)|firefox\.com|mozaws\.net)$/.test(host);
    const fromAddon = (r) => /^moz-extension:/.test(String(r.headers.origin ?? r.headers.referer ?? ''));
    const mentionsVisited = (r) => [...visitedHosts].some((h) => r.path.includes(h));
    const unexpected = server.requests.filter(
      (r) => fromAddon(r) || (!visitedHosts.has(r.host) && !mozillaService(r.host)) || (mozillaService(r.host) && mentionsVisited(r)),
    );
    assert.deepEqual(unexpected.map((r) => `${r.host}${r.path}`), []);
  });
});
