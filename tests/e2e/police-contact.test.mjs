// The police contact follows the admin policy: a real managed-policy file names the province's
// unit (`policeContact`), and the warning, report and help pages show it in place of the
// nationwide 113 / nearest station / national site. Writes /etc/chromium/policies/managed/: run
// under the shared lock (flock /tmp/policy-dir.lock node --test …); the file is removed after.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, EXTENSION_ID, ROOT, launch, open, startServer, waitForManaged, waitForWarning } from './harness.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/canhgiac-e2e-police-contact.json`;
const isRoot = process.getuid?.() === 0;
/** The example policy's contact: the Đắk Lắk hotline from the police notice. */
const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'admin', 'example-policy.json'), 'utf8')).policeContact;

let server;
let browser;

before(async () => {
  if (!isRoot) return;
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: { policeContact: EXAMPLE } } } }));
  server = await startServer();
  browser = await launch(server.port, { lang: 'vi' });
  // Chromium delivers managed storage some seconds after start; wait until the worker applied it.
  await waitForManaged(browser.context, 'policeContact');
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(POLICY_FILE, { force: true });
});

describe('a police contact pushed by policy', { skip: !isRoot && 'writing /etc/chromium/policies needs root' }, () => {
  test('the example policy keeps the Đắk Lắk hotline', () => {
    assert.equal(EXAMPLE.phone, '0694.387.389');
  });

  test('the warning page shows the policy\'s unit instead of the nationwide contact', async () => {
    // The worker may apply the policy a moment after storage has it: ask until it shows.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const page = await open(browser.context, `https://tai-ung-dung.top/VNeID-${Date.now()}.apk`);
      await waitForWarning(page);
      const source = await page.getAttribute('.police', 'data-source');
      if (source === 'policy' || Date.now() > deadline) {
        assert.equal(source, 'policy');
        assert.equal(await page.getAttribute('.police a.phone', 'href'), 'tel:0694387389');
        assert.match(await page.textContent('.police'), /Đắk Lắk/);
        assert.equal(await page.$('a[href="tel:113"]'), null, 'replaced, not added to');
        if (process.env.CANHGIAC_SHOTS) await page.screenshot({ path: join(process.env.CANHGIAC_SHOTS, 'vi-police-from-policy.png'), fullPage: true });
        // The report form started from it says the same.
        const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${EXT_ORIGIN}report.html`) });
        await page.click('#report');
        const form = await opened;
        await form.waitForSelector('body[data-ready="true"]');
        assert.equal(await form.getAttribute('#police-help .police[data-source="policy"] a.phone', 'href'), 'tel:0694387389');
        await form.close();
        await page.close();
        break;
      }
      await page.close();
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  test('the help page shows it too', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${EXT_ORIGIN}help.html`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('article[lang="vi"] .police[data-source="policy"] a.phone', 'href'), 'tel:0694387389');
    assert.equal(await page.$('a[href="tel:113"]'), null);
    await page.close();
  });

  test('the options page names the key by its title and shows its value in words', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${EXT_ORIGIN}options.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const item = await page.textContent('#managed-keys li[data-key="policeContact"]');
    assert.match(item, /Liên hệ công an/);
    assert.match(item, /0694\.387\.389/);
    assert.doesNotMatch(item, /null|policeContact/);
    await page.close();
  });
});
