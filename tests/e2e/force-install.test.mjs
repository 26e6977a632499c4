// An organisation that hosts Cảnh Giác itself: it signs the built extension with its own key
// (scripts/pack-crx.py), writes its deployment files with the admin kit (`canhgiac admin-kit
// --update-url`), and copies the Linux policy file into /etc/chromium/policies/managed/. Chromium
// then fetches the update manifest and the CRX from the organisation's server (here the local test
// server), installs the extension for good, and hands it the policy from the same file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, ROOT, launch, startServer } from './harness.mjs';

const POLICY_FILE = '/etc/chromium/policies/managed/canhgiac-e2e-force-install.json';
const isRoot = process.getuid?.() === 0;
const SITE = 'http://updates.so-noi-vu.example.vn';
const MANIFEST = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
const VERSION = MANIFEST.version;
const CLI = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release', 'canhgiac');

const work = mkdtempSync(join(tmpdir(), 'canhgiac-force-install-'));
let server;
let browser;
let id;
/** DevTools on the browser itself. Playwright's page objects lost the tabs that went into this
 * extension's pages (it reported them closed), so the test finds and reads those through this. */
let cdp;
let nextMessage = 0;

/** The targets (tabs, workers) of the browser whose URL starts with `prefix`. */
async function targets(prefix) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  return targetInfos.filter((t) => t.url.startsWith(prefix));
}

/** Waits for a target whose URL starts with `prefix`. */
async function targetAt(prefix, what) {
  for (let i = 0; i < 60; i++) {
    const [found] = await targets(prefix);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  const seen = server.requests.map((r) => r.host + r.path.split('?')[0]);
  throw new Error(`${what} never appeared (the test server saw ${seen.join(', ')})`);
}

/** Evaluates `expression` (awaited, returned by value) in a target, through the browser session. */
async function evaluateIn(target, expression) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  const id = ++nextMessage;
  const answer = new Promise((resolve) => {
    const listen = (e) => {
      const m = e.sessionId === sessionId && JSON.parse(e.message);
      if (m && m.id === id) {
        cdp.off('Target.receivedMessageFromTarget', listen);
        resolve(m);
      }
    };
    cdp.on('Target.receivedMessageFromTarget', listen);
  });
  const message = { id, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } };
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify(message) });
  const reply = await answer;
  await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  if (reply.error || reply.result.exceptionDetails) throw new Error(JSON.stringify(reply.error ?? reply.result.exceptionDetails));
  return reply.result.result.value;
}

/** Sends a new tab to `url` and waits until this copy's warning page in it is rendered. */
async function warnedAt(url, origin) {
  const before = new Set((await targets(`${origin}warning.html`)).map((t) => t.targetId));
  const tab = await browser.context.newPage();
  tab.goto(url).catch(() => {});
  for (let i = 0; i < 60; i++) {
    for (const t of await targets(`${origin}warning.html`)) {
      if (before.has(t.targetId)) continue;
      if (await evaluateIn(t, "document.body?.dataset.ready === 'true'").catch(() => false)) return t;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no warning for ${url}`);
}

before(async () => {
  if (!isRoot) return;
  const key = join(work, 'organisation-key.pem');
  execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
  const packed = execFileSync('python3', [join(ROOT, 'scripts', 'pack-crx.py'), key, DIST, join(work, 'site'), VERSION, SITE], {
    encoding: 'utf8',
  });
  id = packed.match(/for extension ([a-p]{32})/)[1];
  execFileSync(CLI, ['admin-kit', '--policy', join(ROOT, 'admin', 'example-policy.json'), '--out', join(work, 'kit'), '--extension-id', id,
    '--gecko-id', MANIFEST.browser_specific_settings.gecko.id, '--update-url', `${SITE}/updates.xml`]);
  mkdirSync('/etc/chromium/policies/managed', { recursive: true });
  // The kit's file as it is, plus one line for the test alone: Chromium keeps DevTools (and so
  // Playwright) out of extensions an administrator installed unless this policy lets them in.
  const deployed = JSON.parse(readFileSync(join(work, 'kit', 'linux', 'chromium-canhgiac.json'), 'utf8'));
  writeFileSync(POLICY_FILE, JSON.stringify({ ...deployed, DeveloperToolsAvailability: 1 }));
  server = await startServer((req, url, res) => {
    const file = { '/updates.xml': 'updates.xml', [`/canhgiac-${VERSION}.crx`]: `canhgiac-${VERSION}.crx` }[url.pathname];
    if (!file || !req.headers.host?.startsWith('updates.so-noi-vu.example.vn')) return false;
    res.writeHead(200, { 'content-type': file.endsWith('.xml') ? 'text/xml' : 'application/x-chrome-extension' });
    res.end(readFileSync(join(work, 'site', file)));
    return true;
  });
  browser = await launch(server.port, { dist: null });
  cdp = await browser.context.browser().newBrowserCDPSession();
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(POLICY_FILE, { force: true });
  rmSync(work, { recursive: true, force: true });
});

test('the admin kit force-installs the extension from the organisation\'s server, with its policy in force', { skip: !isRoot && 'needs root to write Chromium\'s policy folder', timeout: 120_000 }, async () => {
  const origin = `chrome-extension://${id}/`;
  // The browser's updater installs it a moment after the start, and its worker starts.
  const worker = await targetAt(`${origin}background.js`, 'the force-installed extension');
  const fetched = server.requests.filter((r) => r.host === 'updates.so-noi-vu.example.vn').map((r) => r.path.split('?')[0]);
  assert.ok(fetched.includes('/updates.xml'), `the browser asked the organisation's server for the update manifest (${fetched})`);
  assert.ok(fetched.includes(`/canhgiac-${VERSION}.crx`), `and downloaded the package (${fetched})`);

  // Installed by the administrator: the user can neither turn it off nor remove it.
  const self = await evaluateIn(worker, 'chrome.management.getSelf().then((s) => ({ installType: s.installType, mayDisable: s.mayDisable }))');
  assert.deepEqual(self, { installType: 'admin', mayDisable: false });

  // The sideload rules work in this copy, whose ID is not the one the manifest key gives.
  await warnedAt('https://tai-ung-dung.top/tai-ve/VNeID.apk', origin);

  // The policy came in the same file. Chromium hands managed storage over seconds after start;
  // the worker keeps the policy it put in force, so that is what is waited for.
  const inForce = "chrome.storage.local.get('managedPolicy').then((s) => s.managedPolicy?.blockedDomains ?? [])";
  let blocked = [];
  for (let i = 0; i < 60 && !blocked.length; i++) {
    blocked = await evaluateIn(worker, inForce);
    if (!blocked.length) await new Promise((r) => setTimeout(r, 500));
  }
  assert.deepEqual(blocked, ['vneid-capnhat.top', 'dichvucong-gov.vn.xacminh.top'], 'the example policy is in force');
  // A domain it blocks is stopped with no way past (allowBypass is false there).
  const warning = await warnedAt('https://vneid-capnhat.top/dang-nhap', origin);
  const page = await evaluateIn(warning, "({ reasons: document.body.innerText, go: !!document.querySelector('#continue'), none: !!document.querySelector('#no-continue') })");
  assert.equal(page.go, false, 'no "continue anyway" when the policy forbids it');
  assert.equal(page.none, true, 'and the page says so');
  assert.match(page.reasons, /vneid-capnhat\.top/);
});
