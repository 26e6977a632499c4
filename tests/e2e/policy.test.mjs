// Admin policy through Chromium's real managed-policy mechanism: a JSON file in
// /etc/chromium/policies/managed/ names the extension's ID; Chromium validates it against
// managed_schema.json and hands it to chrome.storage.managed some seconds after start.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, EXTENSION_ID, launch, liveWorker, open, startServer, waitForWarning } from './harness.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/canhgiac-e2e-test.json`;
const isRoot = process.getuid?.() === 0;

let server;
let browser;

before(async () => {
  if (!isRoot) return;
  mkdirSync(POLICY_DIR, { recursive: true });
  const policy = {
    blockedDomains: ['lua-dao.top'],
    allowBypass: false,
    // A string the schema accepts but the engine refuses: the options page must say why.
    reportEndpoint: 'http://bao-cao.example.vn/reports',
  };
  writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }));
  server = await startServer();
  browser = await launch(server.port, { lang: 'vi' });
  // Chromium delivers managed storage late; wait until the worker can read it.
  const worker = await liveWorker(browser.context);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const managed = await worker.evaluate(() => chrome.storage.managed.get(null)).catch(() => ({}));
    if (managed.blockedDomains) break;
    if (Date.now() > deadline) throw new Error('managed policy never reached chrome.storage.managed');
    await new Promise((r) => setTimeout(r, 250));
  }
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(POLICY_FILE, { force: true });
});

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
    const managed = await page.$$eval('#managed-keys li', (li) => li.map((x) => x.textContent));
    assert.deepEqual(managed.sort(), ['allowBypass', 'blockedDomains', 'reportEndpoint']);
    const problem = await page.textContent('#problems li[data-key="reportEndpoint"]');
    assert.match(problem, /https:\/\//);
    const effective = JSON.parse(await page.textContent('#effective'));
    assert.deepEqual(effective.blockedDomains, ['lua-dao.top']);
    assert.equal(effective.reportEndpoint, null, 'the invalid endpoint is not used');
    await page.close();
  });
});
