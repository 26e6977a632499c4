// An engine fault (a Rust panic, which traps in wasm) must not let a page through, and must not
// leave the worker with an engine that refuses every later policy change. The extension here is
// the built one with its engine swapped for a test build (cargo feature `fault-injection`, built
// by build.sh test) whose URL check traps on any URL containing the marker below, wherever it
// runs: checkUrl, checkDownload, and buildReport, which judges the reported URL again.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { continueAnyway, EXT_ORIGIN, ROOT, fromOptionsPage as ask, launchAltered, liveWorker, open, waitForWarning } from './harness.mjs';

const FAULT_ENGINE = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'fault-engine');
const FAULTY = 'https://canhgiac-fault-injection.test/trang-chu';

describe('an engine that faults on a URL', () => {
  let server;
  let browser;
  let close;

  before(async () => {
    assert.ok(existsSync(join(FAULT_ENGINE, 'canhgiac_bg.wasm')), `no test engine in ${FAULT_ENGINE}: run ./build.sh test`);
    // The whole engine folder: wasm-bindgen numbers the glue's inline snippets per build, so
    // the test build's `canhgiac.js` may import a snippet under another file name.
    const swapEngine = (copy) => {
      rmSync(join(copy, 'engine'), { recursive: true, force: true });
      cpSync(FAULT_ENGINE, join(copy, 'engine'), { recursive: true });
    };
    ({ server, browser, close } = await launchAltered('fault', swapEngine, { lang: 'en' }));
  });

  after(() => close?.());

  const fromOptionsPage = (message) => ask(browser.context, message);

  const codesOn = (page) => page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));
  const faults = async () => (await fromOptionsPage({ type: 'stats' })).faults;

  test('a page the engine faults on is warned, not let through, and a fresh engine keeps the options and takes new ones', async () => {
    // An option set before the fault: the engine that takes over must still have it.
    assert.deepEqual((await fromOptionsPage({ type: 'setUserOptions', options: { blockedDomains: ['truoc-loi.example.vn'] } })).userProblems, []);
    assert.equal(await faults(), 0);

    const page = await open(browser.context, FAULTY);
    await waitForWarning(page);
    assert.deepEqual(await codesOn(page), ['check_failed']);
    assert.match(await page.textContent('#reasons'), /failed while checking this address/);
    assert.match(await page.textContent('.lead'), /does not mean the page is a scam/, 'not called a scam');
    assert.ok((await faults()) >= 1, 'the worker counted the fault');
    // (The page itself may start loading: like any verdict of the worker's, this one comes while
    // the browser navigates. What matters is that the tab ends on the warning.)
    await page.waitForTimeout(500);
    assert.ok(page.url().startsWith(`${EXT_ORIGIN}warning.html`), page.url());

    // The fresh engine judges as before: an app file only the engine catches, and the option set
    // before the fault.
    const apk = await open(browser.context, 'https://tai-ung-dung.top/tai-ve/VNeID.a%70k');
    await waitForWarning(apk);
    assert.ok((await codesOn(apk)).includes('app_package_in_path'), (await codesOn(apk)).join());
    const listed = await open(browser.context, 'https://truoc-loi.example.vn/');
    await waitForWarning(listed);
    assert.ok((await codesOn(listed)).includes('listed_domain'), (await codesOn(listed)).join());

    // A policy change needs the engine mutably: a trapped engine would refuse it.
    const changed = await fromOptionsPage({ type: 'setUserOptions', options: { blockedDomains: ['sau-loi.example.vn'] } });
    assert.equal(changed.error, undefined, changed.error);
    assert.deepEqual(changed.userProblems, []);
    const after = await open(browser.context, 'https://sau-loi.example.vn/');
    await waitForWarning(after);
    assert.ok((await codesOn(after)).includes('listed_domain'), (await codesOn(after)).join());
    await fromOptionsPage({ type: 'setUserOptions', options: {} });
    for (const p of [page, apk, listed, after]) await p.close();
  });

  test('a chat page whose links break a batch still has every risky link marked, the broken one too', async () => {
    const before = await faults();
    const page = await open(browser.context, 'https://chat.zalo.me/');
    const links = [
      ['https://canhgiac-fault-injection.test/qua-tang', 'Nhận quà'],
      ['https://tai-ung-dung.top/tai-ve/VNeID.apk', 'Cài VNeID'],
      ['https://vnexpress.net/the-gioi', 'vnexpress.net'],
    ];
    await page.evaluate((ls) => {
      for (const [href, text] of ls) document.body.append(Object.assign(document.createElement('a'), { href, textContent: text }));
    }, links);
    await page.waitForFunction(() => document.querySelectorAll('a[data-canhgiac]').length >= 2, null, { timeout: 15_000 });
    const marked = await page.$$eval('a[data-canhgiac]', (as) => as.map((a) => [a.getAttribute('href'), a.dataset.canhgiac]).sort());
    assert.deepEqual(marked, [
      ['https://canhgiac-fault-injection.test/qua-tang', 'warn'],
      ['https://tai-ung-dung.top/tai-ve/VNeID.apk', 'warn'],
    ]);
    assert.match(await page.textContent('a[href*="fault-injection"] .canhgiac-mark-why'), /failed while checking/);
    assert.ok((await faults()) > before, 'the batch met the fault');
    // Clicked, the link is judged again (one more fault) and warned in a new tab; its warning
    // page does not judge it a third time.
    const beforeClick = await faults();
    const warningTab = browser.context.waitForEvent('page');
    await page.click('a[href*="fault-injection"]');
    const warning = await waitForWarning(await warningTab);
    assert.deepEqual(await codesOn(warning), ['check_failed']);
    assert.equal(await faults(), beforeClick + 1);
    await warning.close();
    await page.close();
  });

  test('a download the engine faults on is held and explained, not completed', async () => {
    // A redirect whose URL does not show its target: only the download meets the faulty host.
    server.shortLinks.set('/s/bao-cao', 'https://canhgiac-fault-injection.test/report.pdf');
    const page = await browser.context.newPage();
    // The worker opens the warning in a new tab (about:blank first, then the warning page).
    const warningTab = browser.context.waitForEvent('page');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.goto('https://files.so-tai-chinh.vn/s/bao-cao').catch(() => {}),
    ]);
    assert.notEqual(await download.failure(), null, 'the download did not complete');
    const warning = await waitForWarning(await warningTab);
    assert.deepEqual(await codesOn(warning), ['check_failed']);
    await warning.close();
    await page.close();
  });

  test('a page the engine faulted on can be reported: the report carries the failed check and is kept', async () => {
    const page = await open(browser.context, FAULTY);
    await waitForWarning(page);
    const before = await faults();
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${EXT_ORIGIN}report.html`) });
    await page.click('#report');
    const form = await opened;
    await form.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    assert.equal(await form.textContent('#reported-url'), FAULTY);
    // The report judges its URL again; that faulted too, and a fresh engine built the report.
    const previewed = JSON.parse(await form.textContent('#preview'));
    assert.deepEqual(previewed.verdict.reasons.map((r) => r.code), ['check_failed']);
    assert.ok((await faults()) > before, 'building the report met the fault');
    await form.check('input[name="kind"][value="other"]');
    await form.fill('#note', 'Trang lạ làm hỏng phần kiểm tra.');
    await form.waitForFunction(() => document.getElementById('preview').textContent.includes('làm hỏng'));
    await form.click('#send');
    const id = await (await form.waitForSelector('#sent')).getAttribute('data-id');
    await form.waitForSelector(`li[data-id="${id}"][data-state="saved"]`);
    await form.close();
    await page.close();
  });

  test('continue anyway on a page the engine faulted on opens it, for that site', async () => {
    const page = await open(browser.context, FAULTY);
    await waitForWarning(page);
    await continueAnyway(page);
    await page.waitForURL((u) => u.href === FAULTY, { timeout: 10_000 });
    assert.match(await page.textContent('h1'), /canhgiac-fault-injection\.test/);
    // The worker is still alive and judging.
    const worker = await liveWorker(browser.context);
    assert.ok(worker.url().startsWith(EXT_ORIGIN));
    await page.close();
  });
});

describe('an engine that cannot start', () => {
  let server;
  let browser;
  let close;

  before(async () => {
    // A damaged install: the module is cut short, so it cannot compile.
    const damage = (copy) => {
      const file = join(copy, 'engine', 'canhgiac_bg.wasm');
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    };
    ({ server, browser, close } = await launchAltered('broken', damage, { lang: 'en' }));
  });

  after(() => close?.());

  test('the toolbar button turns red and the popup says protection is down, while app files are still stopped', async () => {
    const worker = await liveWorker(browser.context);
    const badge = await worker.evaluate(async () => {
      for (let i = 0; ; i++) {
        const text = await chrome.action.getBadgeText({});
        if (text || i === 50) return { text, title: await chrome.action.getTitle({}) };
        await new Promise((ok) => setTimeout(ok, 100));
      }
    });
    assert.deepEqual(badge, { text: '!', title: 'Cảnh Giác is not working: its checker could not start.' });
    const { engineError } = await ask(browser.context, { type: 'stats' });
    assert.match(engineError ?? '', /CompileError|WebAssembly/, engineError);

    const page = await open(browser.context, 'https://vnexpress.net/the-gioi');
    const tabId = await worker.evaluate(async () => (await chrome.tabs.query({ url: 'https://vnexpress.net/the-gioi' }))[0].id);
    const popup = await browser.context.newPage();
    await popup.goto(`${EXT_ORIGIN}popup.html?tab=${tabId}`);
    await popup.waitForSelector('body[data-ready="true"]');
    assert.equal(await popup.getAttribute('#state', 'data-verdict'), 'engine_failed');
    assert.match(await popup.textContent('#state'), /NOT protecting this browser/);
    assert.equal(await popup.textContent('#engine-error'), engineError);

    const options = await browser.context.newPage();
    await options.goto(`${EXT_ORIGIN}options.html`);
    await options.waitForSelector('body[data-ready="true"]');
    assert.match(await options.textContent('#engine-failed'), /NOT protecting this browser/);
    await options.close();

    // The static rules need no engine: a link straight to an app file still never loads.
    const apk = await open(browser.context, 'https://tai-ung-dung.top/tai-ve/VNeID.apk');
    await apk.waitForURL((u) => u.href.startsWith(`${EXT_ORIGIN}warning.html`), { waitUntil: 'commit' });
    await apk.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    assert.match(await apk.textContent('#engine-stopped'), /app installer file/);
    assert.match(await apk.textContent('#engine-failed'), /NOT protecting this browser/);
    assert.deepEqual(server.requests.filter((r) => r.path.endsWith('.apk')), [], 'the APK was never requested');
    for (const p of [page, popup, apk]) await p.close();
  });
});
