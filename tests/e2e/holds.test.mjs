// Issue 18 (items 3-7, 9), in Debian's Chromium with the built extension: the warning holds
// however a blocked URL is written, wherever a program came from, when the worker is stopped
// mid-download, and after "continue anyway"; a blocked domain gets no request from an <embed>.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { APK, continueAnyway, DIST, EXT_ORIGIN, fromOptionsPage, launch, liveWorker, open, startServer, waitForWarning } from './harness.mjs';

let server;
let browser;
/** How many times each path was served, for routes that answer differently the second time. */
const served = new Map();
/** Whether the user has continued past the site warning (item 6). */
let continued = false;
/** Called when the slow download's request arrives. */
let onSlowRequest = () => {};

const html = (body, headers = {}) => (res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`);
};
const attachment = (name) => (res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${name}"` });
  res.end(APK);
};
const PROGRAM = 'https://tep-tin.example.vn/get?name=HoaDon.exe';

function routes(req, url, res) {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const key = `${host}${url.pathname}`;
  const n = (served.get(key) ?? 0) + 1;
  served.set(key, n);
  const answer = {
    // Item 4: chat pages that send no referrer, and a chat's link wrapper.
    'chat.zalo.me/khong-gui-nguon': html(`<a id="go" href="${PROGRAM}&v=1">Hóa đơn</a>`, { 'referrer-policy': 'no-referrer' }),
    'chat.zalo.me/noreferrer': html(`<a id="go" rel="noreferrer" href="${PROGRAM}&v=2">Hóa đơn</a>`),
    'chat.zalo.me/tab-moi': html(`<a id="go" rel="noreferrer" target="_blank" href="${PROGRAM}&v=3">Hóa đơn</a>`),
    'tin-tuc.example.vn/qua-facebook': html(
      `<a id="go" href="https://l.facebook.com/l.php?u=${encodeURIComponent(`${PROGRAM}&v=4`)}">Hóa đơn</a>`,
      { 'referrer-policy': 'no-referrer' },
    ),
    'tin-tuc.example.vn/khong-chat': html(`<a id="go" rel="noreferrer" href="${PROGRAM}&v=5">Hóa đơn</a>`),
    // Item 9: a blocked domain in every kind of embedding.
    'tin-tuc.example.vn/nhung': html(
      '<embed src="https://lua-dao.top/nhung.html" type="text/html">' +
        '<object data="https://lua-dao.top/doi-tuong.html" type="text/html"></object>' +
        '<img src="https://lua-dao.top/anh.png"><video src="https://lua-dao.top/phim.mp4"></video>' +
        '<link rel="stylesheet" href="https://lua-dao.top/kieu.css">',
    ),
    // Item 6: a page until the user continues past its warning, then an app package.
    'apkpure.com/vneid-app': continued ? attachment('VNeID.apk') : html('<h1>VNeID</h1>'),
    // Item 7: an app package first, then another file from the same address.
    'hoa-don-dien-tu.example.vn/tai-hoa-don': attachment(n === 1 ? 'Hoa-don.apk' : 'HoaDon.pdf.exe'),
  }[key];
  if (answer) {
    answer(res);
    return true;
  }
  if (url.pathname === '/l.php') {
    res.writeHead(302, { location: url.searchParams.get('u'), 'referrer-policy': 'no-referrer' });
    res.end();
    return true;
  }
  if (key === 'tep-chat.example.vn/cham') {
    // Item 5: an app package sent slowly, so the worker can be stopped while it downloads.
    onSlowRequest();
    const body = Buffer.concat([APK, Buffer.alloc(SLOW_BYTES - APK.length)]);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="Zalo-Pro.apk"', 'content-length': body.length });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      const piece = body.subarray(sent, sent + SLOW_BYTES / SLOW_PIECES);
      sent += piece.length;
      res.write(piece);
      if (sent >= body.length) {
        clearInterval(timer);
        res.end();
      }
    }, SLOW_MS / SLOW_PIECES);
    return true;
  }
  return false;
}
/** The slow download: its size, in how many pieces, over how long. */
const SLOW_BYTES = 64 * 1024;
const SLOW_PIECES = 16;
const SLOW_MS = 4_000;

before(async () => {
  server = await startServer(routes);
  browser = await launch(server.port, { lang: 'vi' });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The worker's downloads of `url` (a prefix of it, for addresses that differ in their query). */
async function downloadsFrom(url) {
  const worker = await liveWorker(browser.context);
  return worker.evaluate((u) => chrome.downloads.search({}).then((all) => all.filter((d) => d.url.startsWith(u) || d.finalUrl.startsWith(u))), url);
}
const completed = async (url) => (await downloadsFrom(url)).filter((d) => d.state === 'complete');

/** Resolves with the next tab (one not open now) that shows the warning page. */
function nextWarningTab(timeout = 20_000) {
  const before = new Set(browser.context.pages());
  const deadline = Date.now() + timeout;
  return (async () => {
    for (;;) {
      const found = browser.context.pages().find((p) => !before.has(p) && p.url().startsWith(`${EXT_ORIGIN}warning.html`));
      if (found) return waitForWarning(found);
      if (Date.now() > deadline) throw new Error('no warning tab opened');
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
}

/** Applies user options; the worker answers once the browser holds the rules made from them. */
async function useOptions(options) {
  const status = await fromOptionsPage(browser.context, { type: 'setUserOptions', options });
  assert.deepEqual(status.userProblems, []);
}

describe('item 3: a blocked URL written another way is still blocked, by the engine and the browser alike', () => {
  const LISTED = ['https://zalo.me/3142857142857', 'https://bit.ly/LuaDao2026'];
  // [spelling, blocked?]: the engine and the browser's rules must both give the answer.
  const SPELLINGS = [
    ['https://zalo.me/3142857142857', true],
    ['https://zalo.me./3142857142857', true],
    ['https://zalo.me/%33142857142857', true],
    ['https://zalo.me//3142857142857', true],
    ['https://zalo.me///3142857142857//', true],
    ['https://www.zalo.me/3142857142857', true],
    ['https://www.zalo.me./%33%31%342857142857', true],
    ['https://ZALO.ME/3142857142857/', true],
    ['https://zalo.me/3142857142857?src=qr', true],
    ['https://zalo.me/3142857142857/tin-nhan', true],
    ['https://bit.ly/LuaDao2026', true],
    ['https://bit.ly/luadao2026', true],
    ['https://bit.ly/%4CuaDao%32026', true],
    ['https://bit.ly/%6cuadao2026', true],
    ['https://bit.ly//LuaDao2026/', true],
    ['https://zalo.me/31428571428579', false],
    ['https://zalo.me/3142857142857x', false],
    ['https://zalo.me/%2F3142857142857', false],
    ['https://chat.zalo.me/3142857142857', false],
    ['https://zalo.me/ban-be/3142857142857', false],
    ['https://bit.ly/LuaDao20267', false],
  ];

  test('the same list of spellings gets the same answer from the engine and from the browser rules', async () => {
    await useOptions({ blockedUrls: LISTED });
    // The engine, as built, in Node.
    const { initSync, Engine } = await import(join(DIST, 'engine', 'canhgiac.js'));
    initSync({ module: readFileSync(join(DIST, 'engine', 'canhgiac_bg.wasm')) });
    const engine = new Engine();
    engine.applyPolicies(null, { blockedUrls: LISTED });
    const rows = [];
    for (const [spelling, want] of SPELLINGS) {
      const byEngine = engine.checkUrl(spelling).reasons.some((r) => r.code === 'listed_url');
      // The browser: blocked before it loads means the request never reached the server.
      const mark = server.requests.length;
      const page = await browser.context.newPage();
      const error = await page.goto(spelling).then(() => null, (e) => e.message);
      const reached = server.requests.slice(mark).some((r) => /(^|\.)(zalo\.me|bit\.ly)\.?$/.test(r.host));
      const byBrowser = !reached && /ERR_BLOCKED_BY_CLIENT/.test(error ?? '');
      rows.push({ spelling, want, byEngine, byBrowser });
      await page.close();
    }
    const wrong = rows.filter((r) => r.byEngine !== r.want || r.byBrowser !== r.want);
    assert.deepEqual(wrong, [], 'every spelling: engine and browser rules agree, and are right');
    // The one place they differ, by design: the browser stops any needlessly escaped address on
    // a host with a listed URL (it cannot decode), and the engine judges it as what it decodes to.
    const mark = server.requests.length;
    const page = await browser.context.newPage();
    const other = 'https://zalo.me/%30912345678';
    const error = await page.goto(other).then(() => null, (e) => e.message);
    assert.match(error ?? '', /ERR_BLOCKED_BY_CLIENT/);
    assert.equal(server.requests.slice(mark).filter((r) => r.host === 'zalo.me').length, 0);
    assert.equal(engine.checkUrl(other).reasons.some((r) => r.code === 'listed_url'), false);
    await page.close();
  });

  test('a prefix too long for one regular expression: host spellings and escapes stopped by the browser, the rest by the worker', async () => {
    const long = 'https://sites.google.com/view/bo-cong-an-thong-bao-khan-cap-2026/tai-ung-dung-vneid';
    await useOptions({ blockedUrls: [long] });
    for (const spelling of [long.replace('sites.google.com', 'sites.google.com.'), long.replace('://', '://www.'), long.replace('vneid', '%76neid')]) {
      const mark = server.requests.length;
      const page = await browser.context.newPage();
      const error = await page.goto(spelling).then(() => null, (e) => e.message);
      assert.match(error ?? '', /ERR_BLOCKED_BY_CLIENT/, spelling);
      assert.equal(server.requests.slice(mark).filter((r) => r.host.includes('sites.google')).length, 0, spelling);
      await page.close();
    }
    // A doubled slash in a long prefix gets past the browser's filters; the worker's check stops it.
    const page = await open(browser.context, long.replace('/view/', '/view//'));
    await waitForWarning(page);
    assert.ok((await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code))).includes('listed_url'));
    await page.close();
    await useOptions({});
  });
});

describe('item 9: a blocked domain gets no request from an embed, an object or any other element', () => {
  test('no request reaches the blocked domain', async () => {
    await useOptions({ blockedDomains: ['lua-dao.top'] });
    const mark = server.requests.length;
    const page = await open(browser.context, 'https://tin-tuc.example.vn/nhung');
    await page.waitForTimeout(2_000);
    const leaked = server.requests.slice(mark).filter((r) => r.host.endsWith('lua-dao.top'));
    assert.deepEqual(leaked.map((r) => r.path), []);
    await page.close();
    await useOptions({});
  });
});

describe('item 4: a program sent through a chat is warned even when no referrer is sent', () => {
  for (const [name, start] of [
    ['a chat page with Referrer-Policy: no-referrer', 'https://chat.zalo.me/khong-gui-nguon'],
    ['a link with rel="noreferrer"', 'https://chat.zalo.me/noreferrer'],
    ['a link opening a new tab with rel="noreferrer"', 'https://chat.zalo.me/tab-moi'],
    ['a hop through l.facebook.com', 'https://tin-tuc.example.vn/qua-facebook'],
  ]) {
    test(name, async () => {
      const page = await open(browser.context, start);
      const warning = nextWarningTab();
      await page.click('#go');
      const shown = await warning;
      assert.match(await shown.textContent('main'), /HoaDon\.exe/);
      assert.deepEqual(await completed(PROGRAM), [], 'the program never landed');
      await shown.close();
      for (const p of browser.context.pages()) if (p !== browser.keeper && p.url().startsWith('https://tep-tin')) await p.close();
      await page.close();
    });
  }

  test('the same program from an ordinary news page, with no chat on the way, still saves', async () => {
    const page = await open(browser.context, 'https://tin-tuc.example.vn/khong-chat');
    await page.click('#go');
    const deadline = Date.now() + 15_000;
    while (!(await completed(`${PROGRAM}&v=5`)).length) {
      assert.ok(Date.now() < deadline, 'an ordinary program download completes');
      await page.waitForTimeout(200);
    }
    await page.close();
  });
});

describe('item 5: a worker stopped while a download is pending does not let it through', () => {
  test('the app package never completes, and the next worker holds it and warns', async () => {
    const url = 'https://tep-chat.example.vn/cham';
    const page = await open(browser.context, 'https://trang-chu.example.vn/');
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    // From the moment the request arrives, the worker is stopped again and again while the body
    // comes in: whatever it had started for this download is cut short.
    let stopping = true;
    const stopped = new Promise((resolve) => {
      onSlowRequest = async () => {
        const until = Date.now() + SLOW_MS / 2;
        while (stopping && Date.now() < until) {
          await cdp.send('ServiceWorker.stopAllWorkers').catch(() => {});
          await new Promise((r) => setTimeout(r, 50));
        }
        resolve();
      };
    });
    // The warning may come while the worker is being stopped, or from the next worker.
    const warning = nextWarningTab(SLOW_MS * 2 + 45_000);
    page.evaluate((u) => {
      const a = document.createElement('a');
      a.href = u;
      document.body.append(a);
      a.click();
    }, url);
    await stopped;
    stopping = false;
    // Anything wakes a worker: here, a page load.
    const waker = await open(browser.context, 'https://trang-chu.example.vn/thuc-day');
    // Until the warning shows and the download is over, it must never be complete.
    let shown = null;
    warning.then((p) => (shown = p), () => {});
    const deadline = Date.now() + SLOW_MS * 2 + 45_000;
    for (;;) {
      const states = (await downloadsFrom(url)).map((d) => d.state);
      assert.ok(!states.includes('complete'), `the app package landed: ${states}`);
      if (shown && !states.includes('in_progress')) break;
      assert.ok(Date.now() < deadline, `no warning, downloads ${states}`);
      await page.waitForTimeout(250);
    }
    assert.match(await shown.textContent('main'), /Zalo-Pro\.apk/);
    await shown.close();
    await waker.close();
    await page.close();
  });
});

describe('items 6 and 7: continue anyway covers what the warning named, and nothing else', () => {
  test('continue on a site warning does not let an app package from that address through', async () => {
    const url = 'https://apkpure.com/vneid-app';
    const page = await open(browser.context, url);
    await waitForWarning(page);
    const warning = nextWarningTab();
    continued = true;
    await continueAnyway(page);
    // The page now sends an app package: it is judged as any download, and held.
    const shown = await warning;
    assert.match(await shown.textContent('main'), /VNeID\.apk/);
    assert.deepEqual(await completed(url), []);
    await shown.close();
    await page.close();
  });

  test('continue on a download warning saves only the file the warning named', async () => {
    const url = 'https://hoa-don-dien-tu.example.vn/tai-hoa-don';
    const page = await browser.context.newPage();
    const first = nextWarningTab();
    await page.goto(url).catch(() => {});
    const warned = await first;
    assert.match(await warned.textContent('main'), /Hoa-don\.apk/);
    const second = nextWarningTab();
    await continueAnyway(warned);
    // The server sent another file the second time: it is judged again, and held.
    const again = await second;
    assert.match(await again.textContent('main'), /HoaDon\.pdf\.exe/);
    assert.deepEqual(await completed(url), []);
    await again.close();
    await page.close();
  });

  test('continue on a link that names an app file still lets that file through once', async () => {
    // The warning was about this very file: the continue covers it (extension.test.mjs checks
    // that it is used up); here, that a program renamed behind the same address is not.
    const url = 'https://tai-ve-ngay.top/files/So-tay-2026.apk';
    const page = await open(browser.context, url);
    await waitForWarning(page);
    await continueAnyway(page);
    const deadline = Date.now() + 15_000;
    while (!(await completed(url)).length) {
      assert.ok(Date.now() < deadline, 'the named file downloads');
      await page.waitForTimeout(200);
    }
    await page.close();
  });
});
