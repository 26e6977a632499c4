// Admin policy through Chromium's real managed-policy mechanism: a JSON file in
// /etc/chromium/policies/managed/ names the extension's ID; Chromium validates it against
// managed_schema.json and hands it to chrome.storage.managed some seconds after start.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, EXTENSION_ID, launch, liveWorker, open, restartWorkerWith, startServer, waitForManaged, waitForWarning } from './harness.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/canhgiac-e2e-test.json`;
const isRoot = process.getuid?.() === 0;

let server;
let browser;
/** The profile survives a browser restart in the last test. */
const profile = mkdtempSync(join(tmpdir(), 'canhgiac-policy-profile-'));
/** What the feed URL answers: the list, or a server error to test a failed refresh. */
const feed = { status: 200, body: '# test feed\nfeed-lua-dao.top\n', requests: 0 };
const FEED_URL = 'https://feeds.so-thong-tin.vn/blocklist.txt';

before(async () => {
  if (!isRoot) return;
  mkdirSync(POLICY_DIR, { recursive: true });
  const policy = {
    blockedDomains: ['lua-dao.top'],
    allowBypass: false,
    // A string the schema accepts but the engine refuses: the options page must say why.
    reportEndpoint: 'http://bao-cao.example.vn/reports',
    blocklistFeeds: [{ url: FEED_URL, format: 'domains' }],
    feedRefreshMinutes: 15,
  };
  writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }));
  server = await startServer((req, url, res) => {
    if (url.pathname !== '/blocklist.txt') return false;
    feed.requests += 1;
    res.writeHead(feed.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(feed.status === 200 ? feed.body : 'upstream error');
    return true;
  });
  browser = await launch(server.port, { lang: 'vi', profile });
  // Chromium delivers managed storage late; wait until the worker can read it.
  await waitForManaged(browser.context, 'blockedDomains');
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(POLICY_FILE, { force: true });
  rmSync(profile, { recursive: true, force: true });
});

/** Runs inside the worker, against IndexedDB itself: the keys of the feed copies kept, which it
 * deletes first when `remove` is true. */
async function feedCopyKeys(remove) {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('canhgiac');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction('copies', remove ? 'readwrite' : 'readonly');
  const store = tx.objectStore('copies');
  const range = IDBKeyRange.bound('feed:', 'feed:\uffff');
  const keys = store.getAllKeys(range);
  if (remove) store.delete(range);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  db.close();
  return keys.result;
}

describe('a policy pushed by the browser', { skip: !isRoot && 'writing /etc/chromium/policies needs root' }, () => {
  test('a blocked domain is warned, with no way past it', async () => {
    const page = await open(browser.context, 'https://www.lua-dao.top/trang-chu');
    await waitForWarning(page);
    const codes = await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));
    assert.deepEqual(codes, ['listed_domain']);
    assert.equal(await page.$('#continue'), null, 'no continue button');
    assert.ok(await page.$('#no-continue'), 'the page says the organisation forbids it');
    await page.close();
  });

  test('allowBypass false leaves no way past an ordinary warning either', async () => {
    const page = await open(browser.context, 'https://apkpure.com/vneid');
    await waitForWarning(page);
    assert.equal(await page.$('#continue'), null);
    await page.close();
  });

  test('the options page shows what is managed and the invalid value, while the rest applies', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${EXT_ORIGIN}options.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const managed = await page.$$eval('#managed-keys li', (li) => li.map((x) => x.dataset.key));
    assert.deepEqual(managed.sort(), ['allowBypass', 'blockedDomains', 'blocklistFeeds', 'feedRefreshMinutes', 'reportEndpoint']);
    const problem = await page.textContent('#problems li[data-key="reportEndpoint"]');
    assert.match(problem, /https:\/\//);
    const effective = JSON.parse(await page.textContent('#effective'));
    assert.deepEqual(effective.blockedDomains, ['lua-dao.top']);
    assert.equal(effective.reportEndpoint, undefined, 'the invalid endpoint is not used');
    await page.close();
  });

  test('a feed from the test server is fetched and applied, and survives a failed refresh', async () => {
    const worker = await liveWorker(browser.context);
    const status = () => worker.evaluate(async (u) => (await chrome.storage.local.get('feedStatus')).feedStatus?.[u] ?? {}, FEED_URL);
    const until = async (what, ok) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const s = await status();
        if (ok(s)) return s;
        if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(s)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const first = await until('the feed was never fetched', (s) => s.entries === 1);
    assert.equal(first.lastError, null);
    let page = await open(browser.context, 'https://www.feed-lua-dao.top/');
    await waitForWarning(page);
    assert.deepEqual(await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code)), ['listed_feed']);
    await page.close();

    // The feed server fails; a refresh is due (the alarm is brought forward): the last good copy stays.
    feed.status = 503;
    const before = feed.requests;
    await worker.evaluate(() => chrome.alarms.create('feeds', { delayInMinutes: 0.01, periodInMinutes: 15 }));
    const failed = await until('the refresh never ran', (s) => typeof s.lastError === 'string' && feed.requests > before);
    assert.match(failed.lastError, /503/);
    page = await open(browser.context, 'https://www.feed-lua-dao.top/');
    await waitForWarning(page);
    await page.close();

    const options = await browser.context.newPage();
    await options.goto(`${EXT_ORIGIN}options.html`);
    await options.waitForSelector('body[data-ready="true"]');
    assert.match(await options.textContent(`#feeds li[data-url="${FEED_URL}"]`), /503/);
    await options.close();
  });

  test('a restarted worker puts the feed copy back from IndexedDB, and fetches again a copy it lost', async () => {
    feed.status = 200;
    const fetched = feed.requests;
    let page = await restartWorkerWith(browser.context, 'https://www.feed-lua-dao.top/');
    await waitForWarning(page);
    assert.deepEqual(await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code)), ['listed_feed']);
    assert.equal(feed.requests, fetched, 'the copy came from the store, not the feed server');

    // The kept copy is lost (a cleared store): the next start fetches the feed again within seconds.
    const removed = await (await liveWorker(browser.context)).evaluate(feedCopyKeys, true);
    assert.deepEqual(removed, [`feed:${FEED_URL}`]);
    await page.close();
    page = await restartWorkerWith(browser.context, 'https://trang-chu.example.vn/');
    await page.close();
    for (const deadline = Date.now() + 30_000; feed.requests === fetched; await new Promise((r) => setTimeout(r, 250))) {
      assert.ok(Date.now() < deadline, 'the lost copy was never fetched again');
    }
    for (const deadline = Date.now() + 30_000; !(await (await liveWorker(browser.context)).evaluate(feedCopyKeys, false)).length; ) {
      assert.ok(Date.now() < deadline, 'the fetched copy was never kept');
      await new Promise((r) => setTimeout(r, 250));
    }
    page = await restartWorkerWith(browser.context, 'https://www.feed-lua-dao.top/');
    await waitForWarning(page);
    await page.close();
  });

  test('a change to the policy file applies live, without a restart', async () => {
    const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
    policy['3rdparty'].extensions[EXTENSION_ID].blockedDomains.push('lua-dao-moi.top');
    writeFileSync(POLICY_FILE, JSON.stringify(policy));
    // Chromium notices the changed file and hands the new policy over (storage.onChanged).
    const started = Date.now();
    for (;;) {
      const page = await open(browser.context, 'https://www.lua-dao-moi.top/');
      const warned = await waitForWarning(page, { timeout: 3000 }).then(
        () => true,
        () => false,
      );
      if (warned) {
        assert.deepEqual(await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code)), ['listed_domain']);
        await page.close();
        break;
      }
      await page.close();
      assert.ok(Date.now() - started < 60_000, 'the changed policy did not apply within 60 s');
    }
    console.info(`# the changed policy applied ${Date.now() - started} ms after the file was written`);
  });

  test('a restarted worker puts the policy back from its snapshot, and from the JSON when the snapshot is damaged', async () => {
    const worker = await liveWorker(browser.context);
    const { policySnapshot } = await worker.evaluate(() => chrome.storage.local.get('policySnapshot'));
    assert.equal(typeof policySnapshot, 'string', 'the worker keeps a snapshot beside the policy');
    const firstNavigation = async (path, snapshot) => {
      const w = await liveWorker(browser.context);
      if (snapshot !== undefined) await w.evaluate((s) => chrome.storage.local.set({ policySnapshot: s }), snapshot);
      const page = await open(browser.context, 'about:blank');
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await page.goto(`https://www.lua-dao.top/${path}`).catch(() => {});
      await waitForWarning(page);
      const codes = await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));
      const stats = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'stats' }));
      await page.close();
      return { codes, stats };
    };
    const restored = await firstNavigation('sau-khi-khoi-dong-lai');
    assert.deepEqual(restored.codes, ['listed_domain']);
    assert.equal(restored.stats.policyFrom, 'snapshot');
    // Cut short: refused by the engine, so the worker applies the stored JSON and still blocks.
    const damaged = await firstNavigation('ban-sao-hong', policySnapshot.slice(0, 12));
    assert.deepEqual(damaged.codes, ['listed_domain']);
    assert.equal(damaged.stats.policyFrom, 'json');
    // That worker wrote a good snapshot again for the next start.
    const again = await firstNavigation('lan-sau');
    assert.equal(again.stats.policyFrom, 'snapshot');
  });

  test('after a browser restart the last known policy protects from the first navigation', async () => {
    const worker = await liveWorker(browser.context);
    const saved = await worker.evaluate(async () => (await chrome.storage.local.get('managedPolicy')).managedPolicy);
    assert.ok(saved.blockedDomains.includes('lua-dao.top'), 'the extension kept the policy it received');
    // The block list is a dynamic rule: an installed extension keeps it across browser restarts.
    const hasRule = (rules) => rules.some((r) => r.condition.requestDomains?.includes('lua-dao.top'));
    const dynamicRules = (w) => w.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
    assert.ok(hasRule(await dynamicRules(worker)), 'the block list is a dynamic rule');
    await browser.close();
    browser = await launch(server.port, { lang: 'vi', profile });
    // A copy loaded with --load-extension seems to be installed afresh at each launch: its dynamic
    // rules and its registered event listeners do not carry over. In about one launch in eight the
    // first navigation then came before the new worker's listeners, and no event reached it. So the
    // test waits until the worker has started and published the policy, as it does at browser start.
    for (const deadline = Date.now() + 10_000; !hasRule(await dynamicRules(browser.worker)); ) {
      assert.ok(Date.now() < deadline, 'the worker never published the last known policy');
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await open(browser.context, 'https://www.lua-dao.top/ngay-sau-khi-mo');
    await waitForWarning(page);
    assert.deepEqual(await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code)), ['listed_domain']);
    // Put back from the snapshot the last session kept: no wait for the browser's managed storage.
    const stats = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'stats' }));
    assert.equal(stats.policyFrom, 'snapshot');
    await page.close();
  });

  // Chromium answers the managed-storage read of an extension that has no policy any more only
  // once the browser has settled after its start (seen here: ~5 s after launch when idle; with a
  // page loaded every 500 ms, not until the loads stop). Until then the worker keeps the last
  // known policy, which errs on the safe side. So the test leaves the browser idle first, as a
  // person reading a page would, and asks no more than every 2 s.
  test('a policy withdrawn while the browser was closed is dropped once the browser says so', async () => {
    await browser.close();
    rmSync(POLICY_FILE, { force: true });
    browser = await launch(server.port, { lang: 'vi', profile });
    await new Promise((r) => setTimeout(r, 6000));
    const options = await browser.context.newPage();
    const started = Date.now();
    const deadline = started + 30_000;
    let effective;
    for (;;) {
      await options.goto(`${EXT_ORIGIN}options.html`);
      await options.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      effective = JSON.parse(await options.textContent('#effective'));
      if (!effective.blockedDomains.length) break;
      assert.ok(Date.now() < deadline, 'the withdrawn policy still applies 36 s after the restart');
      await new Promise((r) => setTimeout(r, 2000));
    }
    console.info(`# the withdrawn policy was dropped ${Date.now() - started} ms after the check began`);
    assert.equal(effective.allowBypass, true, 'the default is back');
    assert.deepEqual(await options.$$eval('#managed-keys li', (li) => li.length), 0);
    await options.close();
    const page = await open(browser.context, 'https://www.lua-dao.top/sau-khi-bo-chinh-sach');
    // An ordinary page now: it renders its own heading and stays on its own address.
    assert.match(await page.textContent('h1'), /sau-khi-bo-chinh-sach/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(new URL(page.url()).hostname, 'www.lua-dao.top', 'no warning followed');
    await page.close();
  });
});
