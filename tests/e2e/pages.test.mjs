// The extension's pages as a person uses them, in both languages: axe-core finds no serious or
// critical accessibility problem on any of them (a warning of each kind, the popup, the options,
// the report form, the help page); the safe way back has the focus when a warning opens and is
// the first thing Tab reaches; at 375 px and at 200 % zoom it sits in the first screen; the police
// contact shown is the nationwide one when no policy names another; a report started from the
// warning page carries a screenshot and reasons in the page's language.
//
// Screenshots of every warning at 375 px and at 200 % zoom land in $CANHGIAC_SHOTS (default: a
// temporary folder named in the test output) for a person to look at.
//
// Run it under the shared policy lock (flock /tmp/policy-dir.lock node --test …): it checks the
// pages as they are with no managed policy, and Chromium reads every file in the policy folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, fromOptionsPage, launch, liveWorker, open, startServer, waitForWarning } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Impacts that fail the test; "moderate" and "minor" are reported in the output only. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const SHOTS = process.env.CANHGIAC_SHOTS ?? mkdtempSync(join(tmpdir(), 'canhgiac-shots-'));
mkdirSync(SHOTS, { recursive: true });

/** A phone held upright (iPhone SE, many Android phones): 375 × 667 CSS px. */
const PHONE = { width: 375, height: 667 };
/** A 1280 × 720 desktop window at 200 % zoom: the page lays out in 640 × 360 CSS px, which is
 * what browser zoom changes (the device pixels per CSS pixel only sharpen the text). */
const ZOOM_200 = { width: 640, height: 360 };

/** One address per kind of warning, and the kind the engine must name. */
const KINDS = [
  ['app_file', 'https://tai-ung-dung.top/VNeID.apk'],
  ['program', 'http://45.76.234.141/setup.exe'],
  ['lookalike', 'https://play.google.com.app-vn.top/store/apps/details?id=vneid'],
  ['org_list', 'https://www.trang-bi-chan.example.vn/dang-nhap'],
  // Addresses a browser cannot navigate to: the page is asked about them by its address form.
  ['check_failed', `${EXT_ORIGIN}warning.html#https://${'a.'.repeat(126)}vn/`],
  ['unsafe_link', `${EXT_ORIGIN}warning.html#javascript:alert(document.cookie)`],
];

/** Runs axe-core in `page` (evaluated through DevTools, so the page's CSP does not stop it). */
async function axeRun(page) {
  await page.evaluate(`${AXE_SOURCE}\n;0`);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }).then((r) => ({
      passed: r.passes.length,
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })),
    })),
  );
  // A run that checked nothing would pass anything: axe must have applied its rules.
  assert.ok(result.passed > 10, `axe applied only ${result.passed} rules`);
  console.info(`# axe on ${page.url().split('/').pop().slice(0, 40)}: ${result.passed} rules passed, ${result.violations.length} violations`);
  return result.violations;
}

async function axeViolations(page) {
  const violations = await axeRun(page);
  for (const v of violations) if (!FAILING_IMPACTS.has(v.impact)) console.info(`# axe (${v.impact}) ${v.id}: ${v.help} — ${v.nodes.join(', ')}`);
  return violations.filter((v) => FAILING_IMPACTS.has(v.impact));
}

async function assertAccessible(page, what) {
  const bad = await axeViolations(page);
  assert.deepEqual(bad, [], `${what}: ${JSON.stringify(bad, null, 1)}`);
}

/** The order Tab visits: the page's focusable elements, as the browser would reach them. */
function firstFocusable(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex]')];
    const reachable = all.filter((e) => e.tabIndex >= 0 && e.getClientRects().length > 0);
    return reachable[0]?.id ?? reachable[0]?.outerHTML.slice(0, 80);
  });
}

/** Lays `page` out at `size` and checks the safe action is whole within the first screen. */
async function safeActionOnFirstScreen(page, size, name) {
  const before = page.viewportSize();
  await page.setViewportSize(size);
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.evaluate(() => {
    const r = document.getElementById('back').getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: innerWidth, height: innerHeight, scrollWidth: document.documentElement.scrollWidth };
  });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (before) await page.setViewportSize(before);
  assert.deepEqual([box.width, box.height], [size.width, size.height], `${name}: laid out at the size asked for`);
  assert.ok(box.top >= 0 && box.bottom <= box.height, `${name}: the way back is at ${box.top}–${box.bottom} px of a ${box.height} px screen`);
  assert.ok(box.left >= 0 && box.right <= box.width, `${name}: the way back is cut at the side (${box.left}–${box.right} of ${box.width})`);
  assert.ok(box.scrollWidth <= box.width, `${name}: the page scrolls sideways (${box.scrollWidth} > ${box.width})`);
}

/** Opens the warning for one kind and waits for it. */
async function warningFor(context, url) {
  const page = await open(context, url);
  await waitForWarning(page);
  return page;
}

for (const lang of ['vi', 'en']) {
  describe(`the pages in ${lang === 'vi' ? 'Vietnamese' : 'English'}`, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer();
      browser = await launch(server.port, { lang });
      // The user's own block list gives the organisation's-list warning without a policy file.
      const answer = await fromOptionsPage(browser.context, { type: 'setUserOptions', options: { blockedDomains: ['trang-bi-chan.example.vn'] } });
      assert.deepEqual(answer.userProblems, []);
    });

    after(async () => {
      await browser?.close();
      server?.close();
    });

    for (const [kind, url] of KINDS) {
      test(`the ${kind} warning: its own wording, focus on the way back, accessible, first screen at 375 px and 200 %`, async () => {
        const page = await warningFor(browser.context, url);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.equal(await page.getAttribute('body', 'data-kind'), kind, 'the kind the engine named');
        // Each kind says its own thing: no message key is left unresolved.
        const text = await page.textContent('main');
        assert.doesNotMatch(text, /warn(Title|Lead|Steps|Report)_/);
        assert.ok((await page.$$('#steps li')).length >= 2, 'steps for this kind');
        // The safe action has the focus and is the first stop of Tab.
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'back');
        assert.equal(await firstFocusable(page), 'back');
        // Only what changes is live: not the whole page.
        assert.equal(await page.$('main[aria-live]'), null);
        // The nationwide police contact, with no policy naming another.
        assert.equal(await page.getAttribute('.police[data-source="national"] a.phone', 'href'), 'tel:113');
        assert.equal(await page.$('a[href="tel:0694387389"]'), null, 'no province\'s hotline by default');
        await assertAccessible(page, `${kind} warning`);
        await safeActionOnFirstScreen(page, PHONE, `${lang}-${kind}-375px`);
        await safeActionOnFirstScreen(page, ZOOM_200, `${lang}-${kind}-zoom200`);
        await page.close();
      });
    }

    test('wording that was wrong is gone: no MIME type, no "tổ chức", no "đường link", English says Google Play (CH Play)', async () => {
      const page = await warningFor(browser.context, 'https://tai-ung-dung.top/VNeID.apk');
      const text = await page.textContent('main');
      assert.doesNotMatch(text, /application\/vnd/);
      if (lang === 'vi') assert.doesNotMatch(text, /tổ chức|đường link|bảo cài|điện thoại của tôi/);
      else assert.doesNotMatch(text.replaceAll('Google Play (CH Play)', ''), /CH Play/);
      await page.close();
    });

    test('a report from the warning page carries a screenshot, reasons in the page\'s language, a summary before the JSON; the form is accessible', async () => {
      const page = await warningFor(browser.context, 'https://tai-ung-dung.top/VNeID.apk');
      const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${EXT_ORIGIN}report.html`) });
      await page.click('#report');
      const form = await opened;
      await form.waitForSelector('body[data-ready="true"]');
      assert.ok(await form.$('.shot img[src^="data:image/jpeg"]'), 'a screenshot of the warning page');
      await form.waitForFunction(() => document.getElementById('summary').textContent.length > 0);
      const report = JSON.parse(await form.textContent('#preview'));
      const reason = report.verdict.reasons[0].message;
      if (lang === 'en') assert.doesNotMatch(reason, /[ạảấầậắằặẹẻẽếềểễệịọỏốồổỗộớờởợụủứừửữựđ]/i, reason);
      else assert.match(reason, /ứng dụng/);
      assert.ok((await form.textContent('#summary')).includes(reason), 'the summary names the reason');
      // The summary is shown; the exact JSON waits behind its disclosure.
      assert.ok(await form.isVisible('#summary'));
      assert.equal(await form.isVisible('#preview'), false);
      assert.equal(await form.getAttribute('#preview', 'tabindex'), '0');
      await form.screenshot({ path: join(SHOTS, `${lang}-report.png`), fullPage: true });
      await form.click('#exact summary');
      assert.ok(await form.isVisible('#preview'));
      await assertAccessible(form, 'report form');
      await form.close();
      await page.close();
    });

    test('the popup: one report button, the lesser links in a row, advice in the info state; accessible', async () => {
      for (const [url, state] of [['https://zalo.me/0912345678', 'info'], ['https://vnexpress.net/the-gioi', 'allow']]) {
        const page = await open(browser.context, url);
        const worker = await liveWorker(browser.context);
        const tabId = await worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0].id, url);
        const popup = await browser.context.newPage();
        await popup.setViewportSize({ width: 352, height: 600 });
        await popup.goto(`${EXT_ORIGIN}popup.html?tab=${tabId}`);
        await popup.waitForSelector('body[data-ready="true"]');
        assert.equal(await popup.getAttribute('#state', 'data-verdict'), state);
        if (state === 'info') assert.ok((await popup.textContent('#advice')).length > 20, 'advice, not just "note"');
        // The report button reads on one line.
        const lines = await popup.evaluate(() => {
          const b = document.getElementById('report');
          return Math.round(b.getBoundingClientRect().height / parseFloat(getComputedStyle(b).lineHeight));
        });
        assert.ok(lines <= 2, `the report button takes ${lines} lines`);
        await popup.screenshot({ path: join(SHOTS, `${lang}-popup-${state}.png`) });
        await assertAccessible(popup, `popup (${state})`);
        await popup.close();
        await page.close();
      }
    });

    test('the options page: no "managed" heading without a policy, no raw JSON in view; accessible', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${EXT_ORIGIN}options.html`);
      await page.waitForSelector('body[data-ready="true"]');
      assert.ok(await page.$('#no-policy'), 'says no policy is set');
      assert.equal(await page.$('#managed-keys'), null);
      assert.equal(await page.isVisible('#effective'), false, 'the JSON waits behind a disclosure');
      assert.doesNotMatch(await page.textContent('#effective'), /null/);
      await page.screenshot({ path: join(SHOTS, `${lang}-options.png`), fullPage: true });
      await assertAccessible(page, 'options page');
      // The check can fail: an image without a text alternative (critical) is found.
      await page.evaluate(() => document.querySelector('main').append(Object.assign(document.createElement('img'), { src: 'icons/icon-16.png' })));
      assert.deepEqual((await axeViolations(page)).map((v) => v.id), ['image-alt']);
      await page.close();
    });

    test('the help page shows the nationwide police contact; accessible', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${EXT_ORIGIN}help.html`);
      await page.waitForSelector('body[data-ready="true"]');
      const article = `article[lang="${lang}"]`;
      assert.equal(await page.getAttribute(`${article} .police[data-source="national"] a.phone`, 'href'), 'tel:113');
      assert.ok(await page.$(`${article} a[href="https://khonggianmang.vn/"]`));
      assert.equal(await page.$('a[href="tel:0694387389"]'), null);
      await assertAccessible(page, 'help page');
      await page.close();
    });
  });
}

console.info(`# screenshots in ${SHOTS}`);
