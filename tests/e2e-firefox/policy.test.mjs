// Admin policy through Firefox's real enterprise-policy file, /etc/firefox/policies/policies.json
// (the folder Firefox reads first; /etc/firefox-esr/policies/ is not read), with the add-on's
// configuration under 3rdparty.Extensions: a blocked domain with no way past it, the admin's
// contact on the warning, and a report delivered to a real local HTTPS endpoint the policy names.
// Run it under the shared lock (scripts/firefox.sh does): other tests may write policy files too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, GECKO_ID, hrefOf, launch, reasonCodes, startServer, until, waitForWarning, WAIT_MS } from './harness.mjs';

const POLICY_DIR = '/etc/firefox/policies';
const POLICY_FILE = `${POLICY_DIR}/policies.json`;
const isRoot = process.getuid?.() === 0;
const ENDPOINT_HOST = 'bao-cao.so-tt.example.vn';
const ENDPOINT = `https://${ENDPOINT_HOST}/canhgiac/reports`;

/** A receiving service over HTTPS: records every request with its parsed body, answers 201. */
async function startEndpoint() {
  const dir = mkdtempSync(join(tmpdir(), 'canhgiac-ff-endpoint-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '2', '-subj', `/CN=${ENDPOINT_HOST}`], { stdio: 'ignore' });
  const requests = [];
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body = null;
      try {
        body = JSON.parse(raw);
      } catch {
        // recorded as null
      }
      requests.push({ method: req.method, path: req.url, headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'đã nhận' }));
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    requests,
    close: () => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let server;
let endpoint;
let ff;
/** What was in the policy file before this test, put back afterwards. */
let previous = null;
/** Whether this test made the policy folder, so it removes it too. */
let madeDir = false;

before(async () => {
  if (!isRoot) return;
  madeDir = !existsSync(POLICY_DIR);
  mkdirSync(POLICY_DIR, { recursive: true });
  if (existsSync(POLICY_FILE)) previous = readFileSync(POLICY_FILE);
  const policy = {
    blockedDomains: ['lua-dao.top'],
    reportEndpoint: ENDPOINT,
    reportContact: { name: 'Tổ CNTT Sở Nội vụ', phone: '0262 3 123 456' },
  };
  writeFileSync(POLICY_FILE, JSON.stringify({ policies: { '3rdparty': { Extensions: { [GECKO_ID]: policy } } } }));
  server = await startServer();
  endpoint = await startEndpoint();
  ff = await launch(server.port, { lang: 'vi', hosts: { [ENDPOINT_HOST]: endpoint.port } });
  // The worker applies the managed policy once it has read it: wait until the report page shows it.
  await until(async () => {
    const page = await ff.openExtensionPage('report.html');
    await page.waitForSelector('body[data-ready="true"]');
    const configured = await page.evaluate(() => document.getElementById('no-endpoint') === null || document.getElementById('no-endpoint').hidden);
    await page.close();
    return configured;
  }, 'the worker applies the managed policy', 30_000);
});

after(async () => {
  await ff?.close();
  endpoint?.close();
  server?.close();
  if (previous) writeFileSync(POLICY_FILE, previous);
  else rmSync(POLICY_FILE, { force: true });
  if (madeDir) rmSync(POLICY_DIR, { recursive: true, force: true });
});

describe('a policy from /etc/firefox/policies/policies.json', { skip: !isRoot && 'writing /etc/firefox/policies needs root' }, () => {
  test('the add-on reads it as managed storage', async () => {
    const managed = await ff.call(() => browser.storage.managed.get(null));
    assert.deepEqual(managed.blockedDomains, ['lua-dao.top']);
    assert.equal(managed.reportEndpoint, ENDPOINT);
  });

  test('a blocked domain is warned, with no way past it, and the admin\'s contact', async () => {
    const page = await ff.open('https://www.lua-dao.top/trang-chu');
    await waitForWarning(page);
    assert.deepEqual(await reasonCodes(page), ['listed_domain']);
    assert.equal(await page.$('#continue'), null, 'no continue button');
    assert.ok(await page.$('#no-continue'), 'the page says the organisation forbids it');
    assert.match(await page.$eval('main', (e) => e.textContent), /Tổ CNTT Sở Nội vụ/);
    await page.close();
  });

  test('a report from a warning is delivered to the endpoint the policy names', async () => {
    const page = await ff.open('https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap');
    await waitForWarning(page);
    const known = await ff.browser.pages();
    await page.click('#report');
    let form = null;
    await until(async () => {
      for (const p of await ff.browser.pages()) if (!known.includes(p) && (await hrefOf(p)).startsWith(`${EXT_ORIGIN}report.html`)) form = p;
      return form !== null;
    }, 'the report form opens');
    await form.waitForSelector('body[data-ready="true"]');
    await form.click('input[name="kind"][value="fake_login"]');
    await form.type('#note', 'Trang giả Cổng dịch vụ công.');
    await form.waitForFunction(() => document.getElementById('preview').textContent.includes('Trang giả Cổng dịch vụ công.'));
    await form.click('#send');
    const id = await (await form.waitForSelector('#sent')).evaluate((e) => e.dataset.id);
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: WAIT_MS });
    const got = endpoint.requests.filter((r) => r.body?.id === id);
    assert.equal(got.length, 1);
    assert.equal(got[0].method, 'POST');
    assert.equal(got[0].path, '/canhgiac/reports');
    assert.equal(got[0].headers['idempotency-key'], id);
    assert.equal(got[0].body.kind, 'fake_login');
    assert.equal(got[0].body.url, 'https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap');
    assert.equal(got[0].body.note, 'Trang giả Cổng dịch vụ công.');
    assert.ok(got[0].body.verdict.reasons.some((r) => r.code.startsWith('lookalike')), JSON.stringify(got[0].body.verdict.reasons));
    assert.match(got[0].body.client.browser, /Firefox/);
    // Nothing but the report went there.
    assert.equal(endpoint.requests.length, 1);
    await form.close();
    await page.close();
  });
});
