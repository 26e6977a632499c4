// The warning in English, in Firefox ESR with an English UI (intl.locale.requested=en-US): the
// language follows the browser's, which the Vietnamese suite (firefox.test.mjs) checks the other way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer, waitForWarning } from './harness.mjs';

let server;
let ff;

before(async () => {
  server = await startServer();
  ff = await launch(server.port, { lang: 'en' });
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
  assert.equal(await page.$eval('h1', (e) => e.textContent), 'Cảnh Giác stopped this page');
  const reasons = await page.$$eval('#reasons li', (li) => li.map((x) => x.textContent));
  assert.ok(reasons.length > 0);
  for (const r of reasons) assert.doesNotMatch(r, /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i, `English reason: ${r}`);
  assert.match(await page.$eval('main', (e) => e.textContent), /App Store/);
  await page.close();
});
