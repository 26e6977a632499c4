// The warning in English, in Firefox ESR with an English UI (intl.locale.requested=en-US): the
// language follows the browser's, which the Vietnamese suite (firefox.test.mjs) checks the other way.
// This browser also suspends an idle event page after IDLE_MS (Firefox's default is 30 s), to show
// that a suspended page still holds a download at its headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer, waitForWarning, waitForWarningTab } from './harness.mjs';

/** How long the event page may idle before Firefox suspends it, here. */
const IDLE_MS = 1500;

let server;
let ff;

before(async () => {
  server = await startServer();
  ff = await launch(server.port, { lang: 'en', prefs: { 'extensions.background.idle.timeout': IDLE_MS } });
});

after(async () => {
  await ff?.close();
  server?.close();
});

test('an English Firefox gets the warning in English, with English reasons', async () => {
  assert.equal(await ff.call(() => browser.i18n.getUILanguage()), 'en-US');
  const page = await ff.open('https://tai-ung-dung.top/VNeID.apk');
  await waitForWarning(page);
  assert.equal(await page.$eval('html', (e) => e.lang), 'en');
  assert.equal(await page.$eval('h1', (e) => e.textContent), 'Cảnh Giác blocked an app installer');
  const reasons = await page.$$eval('#reasons li', (li) => li.map((x) => x.textContent));
  assert.ok(reasons.length > 0);
  for (const r of reasons) assert.doesNotMatch(r, /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i, `English reason: ${r}`);
  assert.match(await page.$eval('main', (e) => e.textContent), /App Store/);
  await page.close();
});

test('a suspended event page still holds a one-burst APK before it lands', async () => {
  // Nothing of the add-on's is open, so Firefox suspends its event page after IDLE_MS.
  await (await ff.ext()).close();
  await new Promise((r) => setTimeout(r, IDLE_MS * 3));
  const suspendedAt = Date.now();
  const listed = ff.downloaded();
  const known = await ff.browser.pages();
  const page = await ff.open('https://cdn.tep-chia-se.net/get?id=3&name=VNeID-moi.apk');
  const warning = await waitForWarningTab(ff.browser, known);
  assert.match(await warning.$eval('main', (e) => e.textContent), /VNeID-moi\.apk/);
  assert.deepEqual(ff.downloaded().filter((n) => !listed.includes(n)), []);
  // The page that answered was started by this request: it had been suspended.
  const stats = await warning.evaluate(() => browser.runtime.sendMessage({ type: 'stats' }));
  assert.ok(stats.sinceStartMs < Date.now() - suspendedAt + 1000, `the event page ran for ${stats.sinceStartMs} ms`);
  await warning.close();
  await page.close();
});
