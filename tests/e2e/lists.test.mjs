// The built-in community lists (hostsVN) in real Chromium: a fresh profile with no policy and no
// network is protected by the shipped snapshot; a refresh from the upstream address (mapped to the
// local server) adds new hosts; a broken refresh keeps the last good copy and says why on the
// options page; the request carries nothing about the user; the admin's keys exempt a domain and
// turn the lists off through a real managed policy file.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, EXTENSION_ID, ROOT, fromOptionsPage, launch, liveWorker, open, restartWorkerWith, startServer, waitForManaged, waitForWarning } from './harness.mjs';

const UPSTREAM_HOST = 'raw.githubusercontent.com';
const THREAT_PATH = '/bigdargon/hostsVN/master/extensions/source/threat-VN.txt';
const IP_PATH = '/bigdargon/hostsVN/master/extensions/source/ip-threat.txt';
/** A host on the shipped snapshot (and no other list). */
const LISTED = 'https://247vi-bank.com/dang-nhap';
/** A second one, for the policy tests. */
const LISTED_TOO = 'https://24-7bank.com/';
/** A host only a refreshed list knows. */
const NEW_HOST = 'https://moi-lua-dao-e2e.top/nhan-qua';
const BENIGN = ['https://vnexpress.net/', 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html'];

/** What the upstream answers, changed by each test. `etag` makes a 304 when it matches. */
const upstream = { status: 200, body: null, etag: null, headers: {}, chunked: false, requests: [] };

function upstreamRoute(req, url, res) {
  if (req.headers.host?.replace(/:\d+$/, '') !== UPSTREAM_HOST) return false;
  upstream.requests.push({ path: url.pathname + url.search, headers: { ...req.headers } });
  if (url.pathname === IP_PATH) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('# ips\n185.236.20.189\n37.221.67.219\n');
    return true;
  }
  if (url.pathname !== THREAT_PATH || upstream.body === null) {
    res.writeHead(404);
    res.end();
    return true;
  }
  if (upstream.etag && req.headers['if-none-match'] === upstream.etag) {
    res.writeHead(304, { etag: upstream.etag });
    res.end();
    return true;
  }
  const headers = { 'content-type': 'text/plain; charset=utf-8', ...upstream.headers };
  if (upstream.etag) headers.etag = upstream.etag;
  if (!upstream.chunked) headers['content-length'] = Buffer.byteLength(upstream.body);
  res.writeHead(upstream.status, headers);
  res.end(upstream.body);
  return true;
}

const SHIPPED = readFileSync(join(ROOT, 'data', 'lists', 'hostsVN-threat-VN.txt'), 'utf8');
/** The shipped list plus `extra` hosts: a plausible upstream update. */
const updatedList = (extra) => `${SHIPPED}${extra.join('\n')}\n`;
/** Entries of the refreshed list, once known. */
let refreshedEntries = null;

/**
 * Runs inside the worker, against IndexedDB itself rather than the extension's module, so a test
 * sees and changes what is really stored. `op`: 'keys' lists the keys under 'list:';
 * 'to-legacy' turns those copies into what an earlier version kept (base64 in storage.local,
 * nothing in IndexedDB) and returns the list ids; 'damage' overwrites each with bytes no engine
 * accepts.
 */
async function storedListCopies(op) {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('canhgiac');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const run = async (mode, work) => {
    const tx = db.transaction('copies', mode);
    const out = work(tx.objectStore('copies'));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
    return out;
  };
  const range = IDBKeyRange.bound('list:', 'list:\uffff');
  const [keys, values] = await run('readonly', (store) => [store.getAllKeys(range), store.getAll(range)]);
  const kept = keys.result.map((k, i) => [k, values.result[i]]);
  try {
    if (op === 'keys') return kept.map(([k]) => k);
    if (op === 'damage') {
      const damaged = new TextEncoder().encode('CGFEED\x02\x00damaged');
      await run('readwrite', (store) => kept.forEach(([k]) => store.put(damaged, k)));
      return kept.map(([k]) => k);
    }
    const listCopies = {};
    for (const [k, bytes] of kept) {
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      listCopies[k.slice('list:'.length)] = btoa(text);
    }
    await chrome.storage.local.set({ listCopies });
    await run('readwrite', (store) => store.delete(range));
    return Object.keys(listCopies);
  } finally {
    db.close();
  }
}
const codes = (page) => page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));

/** Stops the worker, opens `host` so that a fresh one judges it, and gives the warning's codes. */
async function codesAfterRestart(context, host) {
  const page = await restartWorkerWith(context, host);
  await waitForWarning(page);
  const found = await codes(page);
  await page.close();
  return found;
}

async function isWarned(context, url, timeout = 4000) {
  const page = await open(context, url);
  const warned = await waitForWarning(page, { timeout }).then(
    () => true,
    () => false,
  );
  await page.close();
  return warned;
}

/** Opens the options page, presses "Update now" (unless `press` is false), and returns what it
 * then shows for each list. */
async function refreshFromOptions(context, { press = true } = {}) {
  const page = await context.newPage();
  await page.goto(`${EXT_ORIGIN}options.html`);
  await page.waitForSelector('#builtin-lists[data-ready="true"]');
  if (press) {
    await page.evaluate(() => delete document.getElementById('builtin-lists').dataset.ready);
    await page.click('#refresh-lists');
    await page.waitForSelector('#builtin-lists[data-ready="true"]', { timeout: 60_000 });
  }
  const shown = await page.$$eval('#lists li', (li) =>
    Object.fromEntries(
      li.map((x) => [
        x.dataset.list,
        {
          entries: Number(x.querySelector('.list-entries')?.dataset.entries),
          error: x.querySelector('.list-error')?.textContent ?? null,
          text: x.textContent,
        },
      ]),
    ),
  );
  await page.close();
  return shown;
}

describe('built-in lists with no policy', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer(upstreamRoute);
    browser = await launch(server.port, { lang: 'vi' });
    // A freshly installed worker receives no event from before its first run registered its
    // listeners (a person installs, then browses); wait until it has started, which includes
    // loading the shipped lists, so the first navigation below is its first event.
    for (const deadline = Date.now() + 20_000; ; ) {
      const stats = await fromOptionsPage(browser.context, { type: 'stats' }).catch(() => null);
      if (typeof stats?.readyMs === 'number') break;
      if (Date.now() > deadline) throw new Error('the worker never became ready');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('a fresh profile, offline, warns on a host only the shipped list knows; the user may go on', async () => {
    const page = await open(browser.context, LISTED);
    await waitForWarning(page);
    assert.deepEqual(await codes(page), ['community_listed']);
    assert.match(await page.textContent('#reasons'), /hostsVN/);
    assert.ok(await page.$('details.continue'), 'community lists can be wrong: continue-anyway is offered');
    // ...and a report of a false warning, which opens the report form with that kind chosen.
    const [form] = await Promise.all([browser.context.waitForEvent('page'), page.click('#report-false')]);
    await form.waitForSelector('input[value="false_warning"]:checked', { timeout: 15_000 });
    assert.equal(await form.textContent('#reported-url'), LISTED);
    await form.close();
    await page.close();
    for (const url of BENIGN) assert.equal(await isWarned(browser.context, url, 2500), false, url);
    // The shipped IP list too.
    assert.equal(await isWarned(browser.context, 'http://185.236.20.189/'), true);
  });

  test('a refresh from upstream adds a newly listed host, with nothing about the user in the request', async () => {
    await browser.context.addCookies([{ name: 'session', value: 'secret', domain: UPSTREAM_HOST, path: '/', secure: true }]);
    // Browse somewhere first: nothing of it may reach the list's server.
    await isWarned(browser.context, 'https://vnexpress.net/bai-viet-rieng-tu', 1500);
    upstream.body = updatedList(['moi-lua-dao-e2e.top']);
    upstream.etag = '"v2"';
    upstream.requests.length = 0;
    assert.equal(await isWarned(browser.context, NEW_HOST, 2500), false, 'not listed before the refresh');
    const before = (await refreshFromOptions(browser.context, { press: false }))['hostsVN-threat'];
    const shown = await refreshFromOptions(browser.context);
    assert.equal(shown['hostsVN-threat'].error, null, shown['hostsVN-threat'].text);
    refreshedEntries = shown['hostsVN-threat'].entries;
    assert.ok(before.entries > 4000, 'the shipped copy was in force');
    assert.equal(refreshedEntries, before.entries + 1, 'one new host');
    assert.equal(await isWarned(browser.context, NEW_HOST), true);
    const req = upstream.requests.find((r) => r.path === THREAT_PATH);
    assert.ok(req, `requests: ${JSON.stringify(upstream.requests.map((r) => r.path))}`);
    for (const r of upstream.requests) {
      assert.ok([THREAT_PATH, IP_PATH].includes(r.path), `only the list files, no query: ${r.path}`);
      assert.equal(r.headers.cookie, undefined, 'no cookie');
      assert.equal(r.headers.referer, undefined, 'no referrer');
      assert.doesNotMatch(JSON.stringify(r.headers), /vnexpress|bai-viet|moi-lua-dao/, 'nothing about browsing');
    }
    // The next refresh is conditional: the server answers 304 and the copy stays.
    upstream.requests.length = 0;
    const again = await refreshFromOptions(browser.context);
    const conditional = upstream.requests.find((r) => r.path === THREAT_PATH);
    assert.equal(conditional.headers['if-none-match'], '"v2"');
    assert.equal(again['hostsVN-threat'].entries, refreshedEntries);
  });

  const broken = [
    ['an HTML error page', () => Object.assign(upstream, { status: 200, body: '<!DOCTYPE html><html><head><title>Rate limited</title></head><body>Try later</body></html>' }), /HTML/],
    ['a server error', () => Object.assign(upstream, { status: 500, body: 'internal error' }), /HTTP 500/],
    ['an oversized body (declared)', () => Object.assign(upstream, { status: 200, body: 'a.vn\n'.repeat(3_500_000) }), /cap/],
    ['an oversized body (streamed)', () => Object.assign(upstream, { status: 200, chunked: true, body: 'b.vn\n'.repeat(3_500_000) }), /cap/],
    ['a list that shrank to almost nothing', () => Object.assign(upstream, { status: 200, chunked: false, body: 'only-one.vn\nonly-two.vn\n' }), /shrank/],
  ];
  for (const [what, serve, error] of broken) {
    test(`${what} keeps the last good copy and shows the error on the options page`, async () => {
      upstream.etag = null;
      serve();
      const shown = await refreshFromOptions(browser.context);
      upstream.chunked = false;
      const threat = shown['hostsVN-threat'];
      assert.match(threat.error ?? '', error, threat.text);
      assert.equal(threat.entries, refreshedEntries, 'the last good copy is still counted');
      assert.equal(await isWarned(browser.context, NEW_HOST), true, 'the last good copy still warns');
    });
  }

  test('a restarted worker puts the refreshed copy back without fetching', async () => {
    upstream.requests.length = 0;
    assert.deepEqual(await codesAfterRestart(browser.context, NEW_HOST), ['community_listed']);
    assert.equal(upstream.requests.length, 0, 'the list server heard nothing from the restart');
  });

  test('copies kept the old way (base64 in storage.local) are put back and moved to IndexedDB', async () => {
    const worker = await liveWorker(browser.context);
    // Turns this install into one an earlier version left: the copies as base64 text only.
    const ids = await worker.evaluate(storedListCopies, 'to-legacy');
    assert.ok(ids.length >= 1, 'the refreshed copies were kept as bytes');
    // Only the refreshed copy lists this host: the shipped snapshot does not.
    assert.deepEqual(await codesAfterRestart(browser.context, NEW_HOST), ['community_listed']);
    const after = await liveWorker(browser.context);
    for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const moved = {
        legacy: await after.evaluate(async () => (await chrome.storage.local.get('listCopies')).listCopies ?? null),
        kept: await after.evaluate(storedListCopies, 'keys'),
      };
      if (moved.legacy === null && moved.kept.length === ids.length) break;
      assert.ok(Date.now() < deadline, `the old copies were not moved: ${JSON.stringify(moved)}`);
    }
  });

  test('damaged stored copies give way to the shipped snapshot at the next worker start', async () => {
    const worker = await liveWorker(browser.context);
    const damaged = await worker.evaluate(storedListCopies, 'damage');
    assert.ok(damaged.length >= 1, 'there were copies to damage');
    assert.deepEqual(await codesAfterRestart(browser.context, LISTED), ['community_listed']);
  });
});

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/canhgiac-e2e-lists.json`;
const isRoot = process.getuid?.() === 0;
const writePolicy = (policy) => writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }));

describe('the admin controls the built-in lists', { skip: !isRoot && 'writing /etc/chromium/policies needs root' }, () => {
  let server;
  let browser;
  before(async () => {
    mkdirSync(POLICY_DIR, { recursive: true });
    writePolicy({ exemptDomains: ['247vi-bank.com', 'vneid-gov.top'] });
    server = await startServer(upstreamRoute);
    browser = await launch(server.port, { lang: 'vi' });
    await waitForManaged(browser.context, 'exemptDomains');
  });
  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(POLICY_FILE, { force: true });
  });

  test('an exempted domain is not warned; other listed hosts still are', async () => {
    // The worker may still be applying the policy it just read.
    for (const deadline = Date.now() + 20_000; await isWarned(browser.context, LISTED, 2500); ) {
      assert.ok(Date.now() < deadline, 'the exempted domain is still warned');
    }
    assert.equal(await isWarned(browser.context, 'https://vneid-gov.top/dang-nhap', 2500), false, 'heuristics skip it too');
    assert.equal(await isWarned(browser.context, LISTED_TOO), true);
  });

  test('builtInLists false turns the lists off, and the options page shows the switch locked', async () => {
    writePolicy({ builtInLists: false });
    const started = Date.now();
    while (await isWarned(browser.context, LISTED_TOO, 2500)) {
      assert.ok(Date.now() - started < 60_000, 'the lists were still on 60 s after the policy changed');
    }
    const page = await browser.context.newPage();
    await page.goto(`${EXT_ORIGIN}options.html`);
    await page.waitForSelector('#builtin-lists[data-ready="true"]');
    assert.equal(await page.isChecked('#builtInLists'), false);
    assert.equal(await page.isDisabled('#builtInLists'), true, 'the user cannot turn it back on');
    assert.ok(await page.$('#lists-off'));
    await page.close();
  });
});
