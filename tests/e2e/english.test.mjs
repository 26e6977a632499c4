// The warning page in an English browser, and "continue anyway" for a held download: the same
// file downloads once, and only once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { completedDownload, downloadsOf, EXT_ORIGIN, launch, startServer, waitForWarning } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch(server.port, { lang: 'en' });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Starts a download of `url` from a fresh tab and returns the warning tab it opens. */
async function heldDownload(url) {
  const page = await browser.context.newPage();
  const warningTab = browser.context.waitForEvent('page');
  const [download] = await Promise.all([page.waitForEvent('download'), page.goto(url).catch(() => {})]);
  assert.notEqual(await download.failure(), null, 'the download did not complete');
  const warning = await waitForWarning(await warningTab);
  await page.close();
  return warning;
}

describe('in English', () => {
  test('a navigation warning is in English, with English reasons', async () => {
    const page = await browser.context.newPage();
    await page.goto('https://tai-ung-dung.top/VNeID.apk').catch(() => {});
    await waitForWarning(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('h1'), 'Cảnh Giác blocked an app installer');
    const reasons = await page.$$eval('#reasons li', (li) => li.map((x) => x.textContent));
    assert.ok(reasons.length > 0);
    for (const r of reasons) assert.doesNotMatch(r, /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i, `English reason: ${r}`);
    assert.match(await page.textContent('main'), /App Store/);
    assert.equal(await page.getAttribute('.police[data-source="national"] a.phone', 'href'), 'tel:113');
    await page.close();
  });

  test('a language chosen in the options wins over the browser language, on the whole page', async () => {
    const options = await browser.context.newPage();
    await options.goto(`${EXT_ORIGIN}options.html`);
    await options.waitForSelector('body[data-ready="true"]');
    await options.selectOption('#language', 'vi');
    await options.click('#save');
    await options.waitForSelector('#saved:not(:empty)');
    try {
      const page = await browser.context.newPage();
      await page.goto('https://tai-ung-dung.top/VNeID.apk').catch(() => {});
      await waitForWarning(page);
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      assert.equal(await page.textContent('h1'), 'Cảnh Giác đã chặn một tệp cài đặt ứng dụng');
      assert.match(await page.textContent('#reasons'), /ứng dụng/);
      assert.match(await page.textContent('#continue'), /30 phút/);
      await page.close();
    } finally {
      await options.selectOption('#language', 'auto');
      await options.click('#save');
      await options.close();
    }
  });

  test('continue anyway on a held download lets the same file through once', async () => {
    const url = 'https://cdn.tep-chia-se.net/get?id=99&name=VNeID.apk';
    const warning = await heldDownload(url);
    assert.equal(await warning.textContent('h1'), 'Cảnh Giác held back a download');
    assert.deepEqual(
      (await downloadsOf(browser.context, url)).filter((d) => d.state === 'complete'),
      [],
      'nothing of it completed',
    );
    await warning.click('details.continue summary');
    assert.ok(await warning.isDisabled('#continue'), 'disabled until the user confirms');
    await warning.check('#understand');
    await warning.click('#continue');
    // The worker downloads the same URL again and lets it through.
    const completed = await completedDownload(browser.context, url);
    assert.equal(completed, 1);
    await warning.close();
    // Once only: the next attempt is held again.
    const again = await heldDownload(url);
    assert.equal((await downloadsOf(browser.context, url)).filter((d) => d.state === 'complete').length, 1);
    await again.close();
  });
});
