// A copy installed under another ID (a store's own, or Firefox's per-install origin) still sends
// app-package links to its own warning page: the static rules name the ID the build knew.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EXT_ORIGIN, launchAltered, liveWorker, waitForWarning } from './harness.mjs';

let server;
let browser;
let close;

before(async () => {
  const dropKey = (copy) => {
    const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
    delete manifest.key;
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify(manifest, null, 2));
  };
  ({ server, browser, close } = await launchAltered('keyless', dropKey, { lang: 'en' }));
});

after(() => close?.());

test('without the manifest key, an app-package link still never loads and shows this copy\'s warning', async () => {
  assert.notEqual(browser.origin, EXT_ORIGIN, 'the copy runs under another ID');
  // The worker moves the static rules at its start; a first navigation makes sure it has started.
  const warm = await browser.context.newPage();
  await warm.goto('https://trang-chu.example.vn/');
  await warm.close();
  // The static ruleset is off and its rules run as session rules aimed at this copy's page.
  const worker = await liveWorker(browser.context);
  const rules = await worker.evaluate(async () => {
    // No event announces a ruleset change: look again for up to 5 s.
    for (let i = 0; ; i++) {
      const state = {
        enabled: await chrome.declarativeNetRequest.getEnabledRulesets(),
        targets: (await chrome.declarativeNetRequest.getSessionRules()).map((r) => r.action.redirect?.regexSubstitution).filter(Boolean),
      };
      if ((state.enabled.length === 0 && state.targets.length > 0) || i === 50) return state;
      await new Promise((ok) => setTimeout(ok, 100));
    }
  });
  assert.deepEqual(rules.enabled, []);
  assert.ok(rules.targets.length > 0 && rules.targets.every((t) => t.startsWith(`${browser.origin}warning.html#`)), rules.targets.join());
  const before = server.requests.length;
  const page = await browser.context.newPage();
  const visited = [];
  page.on('framenavigated', (f) => f === page.mainFrame() && visited.push(f.url()));
  await page.goto('https://tai-ung-dung.top/tai-ve/VNeID.apk').catch(() => {});
  await waitForWarning(page, { origin: browser.origin });
  assert.deepEqual(visited.filter((u) => !u.startsWith(browser.origin)), [], 'straight to this copy\'s warning page, no error page on the way');
  const codes = await page.$$eval('#reasons li', (li) => li.map((x) => x.dataset.code));
  assert.ok(codes.includes('app_package_in_path'), codes.join());
  assert.deepEqual(server.requests.slice(before).filter((r) => r.path.endsWith('.apk')), [], 'the APK was never requested');
  await page.close();
});
