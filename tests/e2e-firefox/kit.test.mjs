// The admin kit's Firefox part, as an organisation deploys it: `canhgiac admin-kit
// --firefox-install-url` writes policies.json, which goes to /etc/firefox/policies/; Firefox
// installs the add-on from that address by itself (force_installed) and hands the kit's
// configuration to it. The package here is the build's own .xpi (file://), unsigned: the test
// profile sets xpinstall.signatures.required=false, which ESR honours; an organisation serves the
// AMO-signed package instead (docs/firefox.md). Run under the shared lock (scripts/firefox.sh).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../e2e/harness.mjs';
import { GECKO_ID, hrefOf, launch, reasonCodes, startServer, until, waitForWarning } from './harness.mjs';

const POLICY_DIR = '/etc/firefox/policies';
const POLICY_FILE = `${POLICY_DIR}/policies.json`;
const isRoot = process.getuid?.() === 0;
const XPI = readdirSync(join(ROOT, 'dist')).find((n) => /^canhgiac-.*\.xpi$/.test(n));

let server;
let ff;
let previous = null;
let madeDir = false;
const kit = mkdtempSync(join(tmpdir(), 'canhgiac-ff-kit-'));

before(async () => {
  if (!isRoot) return;
  execFileSync(join(ROOT, 'target', 'release', 'canhgiac'), ['admin-kit', '--policy', join(ROOT, 'admin', 'example-policy.json'), '--out', kit,
    '--manifest', join(ROOT, 'extension', 'manifest.json'), '--store', 'self', '--update-url', 'https://updates.example.invalid/canhgiac/updates.xml',
    '--firefox-install-url', `file://${join(ROOT, 'dist', XPI)}`], { stdio: 'ignore' });
  madeDir = !existsSync(POLICY_DIR);
  mkdirSync(POLICY_DIR, { recursive: true });
  if (existsSync(POLICY_FILE)) previous = readFileSync(POLICY_FILE);
  // The kit's file as it is.
  writeFileSync(POLICY_FILE, readFileSync(join(kit, 'firefox', 'policies.json')));
  server = await startServer();
  ff = await launch(server.port, { install: false, prefs: { 'xpinstall.signatures.required': false } });
});

after(async () => {
  await ff?.close();
  server?.close();
  rmSync(kit, { recursive: true, force: true });
  if (previous) writeFileSync(POLICY_FILE, previous);
  else rmSync(POLICY_FILE, { force: true });
  if (madeDir) rmSync(POLICY_DIR, { recursive: true, force: true });
});

test('Firefox installs the add-on from the kit\'s policies.json, as the admin\'s, with the kit\'s policy', { skip: !isRoot && 'writing /etc/firefox/policies needs root' }, async () => {
  // Installed by the browser on its own after start: wait until a blocked domain of the kit's
  // policy (admin/example-policy.json) is warned.
  let page;
  await until(async () => {
    await page?.close();
    page = await ff.open('https://vneid-capnhat.top/xac-thuc');
    return (await hrefOf(page)).includes('/warning.html');
  }, 'the force-installed add-on warns', 60_000);
  await waitForWarning(page);
  assert.deepEqual(await reasonCodes(page), ['listed_domain']);
  // allowBypass is false in the kit's policy: no way past.
  assert.equal(await page.$('#continue'), null);
  const self = await page.evaluate(() => browser.management.getSelf().then((m) => ({ id: m.id, installType: m.installType })));
  assert.deepEqual(self, { id: GECKO_ID, installType: 'admin' });
  const managed = await page.evaluate(() => browser.storage.managed.get(null));
  assert.deepEqual(managed, JSON.parse(readFileSync(join(ROOT, 'admin', 'example-policy.json'), 'utf8')));
  await page.close();
});
