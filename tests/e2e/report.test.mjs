// Reports from the warning page and the popup, delivered to a real local HTTPS endpoint run by
// this test: it can refuse connections (stopped), fail (503) and recover. The endpoint comes from
// a real managed policy file, as an admin would set it; without one, reports stay on the machine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXT_ORIGIN, EXTENSION_ID, launch, liveWorker, open, startServer, waitForWarning } from './harness.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/canhgiac-e2e-report.json`;
const isRoot = process.getuid?.() === 0;
const ENDPOINT_HOST = 'bao-cao.so-tt.example.vn';
const ENDPOINT = `https://${ENDPOINT_HOST}/canhgiac/reports`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The receiving service: stores reports by id like the one in docs/report-endpoint.md, and
 * answers from `script` first (e.g. [503]) before the normal 201. Stopping it refuses connections.
 */
function endpointServer() {
  const dir = mkdtempSync(join(tmpdir(), 'canhgiac-endpoint-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '2', '-subj', `/CN=${ENDPOINT_HOST}`], { stdio: 'ignore' });
  const self = {
    port: 0,
    /** Every request: {id, key, status, body, at}. */
    requests: [],
    /** Reports accepted, by id, and how many times an already-stored id came again. */
    stored: new Map(),
    script: [],
    server: null,
    async start() {
      this.server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
        let raw = '';
        req.on('data', (c) => (raw += c));
        req.on('end', () => {
          let body = null;
          try {
            body = JSON.parse(raw);
          } catch {
            // recorded as null
          }
          const status = this.script.shift() ?? (this.stored.has(body?.id) ? 200 : 201);
          this.requests.push({ id: body?.id ?? null, key: req.headers['idempotency-key'], path: req.url, method: req.method, status, body, at: Date.now() });
          if (status === 201) this.stored.set(body.id, body);
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: status < 300 ? 'đã nhận' : 'tạm thời lỗi' }));
        });
      });
      await new Promise((ok) => this.server.listen(this.port, '127.0.0.1', ok));
      this.port = this.server.address().port;
    },
    async stop() {
      const s = this.server;
      this.server = null;
      s.closeAllConnections();
      await new Promise((ok) => s.close(ok));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return self;
}

const endpoint = endpointServer();
let server;

before(async () => {
  server = await startServer();
  // Bound once so the port is known to the browser's resolver rules, then stopped or started by tests.
  await endpoint.start();
});

after(async () => {
  if (endpoint.server) await endpoint.stop();
  endpoint.cleanup();
  server?.close();
  rmSync(POLICY_FILE, { force: true });
  // Whatever happened above: the endpoint never stored a report twice, and every request named
  // its report in the Idempotency-Key header.
  for (const r of endpoint.requests) assert.equal(r.key, r.id, 'Idempotency-Key is the report id');
  const accepted = endpoint.requests.filter((r) => r.status < 300).map((r) => r.id);
  assert.equal(new Set(accepted).size, accepted.length, `an id was accepted twice: ${accepted}`);
});

/** Clicks the warning page's report button; resolves with the report form, rendered. */
async function reportFromWarning(context, warning) {
  const opened = context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${EXT_ORIGIN}report.html`) });
  await warning.click('#report');
  const form = await opened;
  await form.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return form;
}

/** Picks a kind, writes a note, presses send; resolves with the new report's id. */
async function sendReport(form, { kind = 'install_link', note = 'Người lạ nhắn Zalo bảo cài ứng dụng.' } = {}) {
  await form.check(`input[name="kind"][value="${kind}"]`);
  await form.fill('#note', note);
  await form.waitForFunction((n) => document.getElementById('preview').textContent.includes(n), note);
  await form.click('#send');
  const sent = await form.waitForSelector('#sent');
  const id = await sent.getAttribute('data-id');
  assert.match(id, UUID);
  return id;
}

const stateOf = (page, id) => page.getAttribute(`li[data-id="${id}"]`, 'data-state');

describe('no report endpoint configured', () => {
  let browser;
  before(async () => {
    rmSync(POLICY_FILE, { force: true });
    browser = await launch(server.port, { lang: 'vi', hosts: { [ENDPOINT_HOST]: endpoint.port } });
  });
  after(() => browser?.close());

  test('a report is kept on this machine, can be saved as files, and the police contact is shown', async () => {
    const before = endpoint.requests.length;
    const page = await open(browser.context, 'https://tai-ung-dung.top/tai-ve/VNeID.apk');
    await waitForWarning(page);
    const form = await reportFromWarning(browser.context, page);
    assert.equal(await form.textContent('#reported-url'), 'https://tai-ung-dung.top/tai-ve/VNeID.apk');
    // The suggested kind fits the finding: an app package is an install link.
    assert.equal(await form.isChecked('input[name="kind"][value="install_link"]'), true);
    assert.match(await form.textContent('#destination'), /lưu trên máy này/);
    const id = await sendReport(form);
    await form.waitForSelector(`li[data-id="${id}"][data-state="saved"]`);
    assert.ok(await form.isVisible('#no-endpoint'));
    assert.equal(await form.getAttribute('#police-help .police[data-source="national"] a.phone', 'href'), 'tel:113');
    // "Save as a file": the JSON report and its readable summary land in the downloads folder.
    await form.click(`li[data-id="${id}"] button.save`);
    const base = `canhgiac-bao-cao-${id.slice(0, 8)}`;
    const deadline = Date.now() + 15_000;
    while (!(readdirSync(browser.downloadsDir).includes(`${base}.json`) && readdirSync(browser.downloadsDir).includes(`${base}.txt`))) {
      assert.ok(Date.now() < deadline, `saved files missing: ${readdirSync(browser.downloadsDir)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const saved = JSON.parse(readFileSync(join(browser.downloadsDir, `${base}.json`), 'utf8'));
    assert.equal(saved.id, id);
    assert.equal(saved.kind, 'install_link');
    assert.equal(saved.verdict.verdict, 'warn');
    assert.ok(saved.verdict.reasons.some((r) => r.code === 'app_package_in_path'), JSON.stringify(saved.verdict.reasons));
    assert.match(readFileSync(join(browser.downloadsDir, `${base}.txt`), 'utf8'), new RegExp(`Mã báo cáo: ${id}`));
    // Nothing left the machine.
    assert.equal(endpoint.requests.length, before);
    // The user may delete it: two presses, then the report and its evidence are gone.
    await form.click(`li[data-id="${id}"] button.delete`);
    assert.ok(await form.isVisible(`li[data-id="${id}"]`), 'one press only arms the button');
    await form.click(`li[data-id="${id}"] button.delete`);
    await form.waitForSelector(`li[data-id="${id}"]`, { state: 'detached' });
    const worker = await liveWorker(browser.context);
    const left = await worker.evaluate((k) => chrome.storage.local.get(['reports', k]), `reportPayload:${id}`);
    assert.equal(left[`reportPayload:${id}`], undefined);
    assert.equal(left.reports?.[id], undefined);
  });
});

describe('the list of reports', () => {
  test('lines of reports sent more than 90 days ago are forgotten at the next worker start; others stay', async () => {
    const browser = await launch(server.port, { lang: 'vi' });
    try {
      let worker = await liveWorker(browser.context);
      const day = 24 * 60 * 60 * 1000;
      const line = (id, state, sentAt) => ({ id, state, sentAt, url: 'https://tai-ung-dung.top/a.apk', kind: 'install_link', createdAt: new Date(sentAt ?? Date.now()).toISOString(), attempts: 1 });
      const old = '00000000-0000-4000-8000-000000000001';
      const recent = '00000000-0000-4000-8000-000000000002';
      const unsent = '00000000-0000-4000-8000-000000000003';
      await worker.evaluate((reports) => chrome.storage.local.set({ reports }), {
        [old]: line(old, 'sent', Date.now() - 91 * day),
        [recent]: line(recent, 'sent', Date.now() - 89 * day),
        [unsent]: line(unsent, 'saved', null),
      });
      const page = await open(browser.context, 'https://trang-chu.example.vn/');
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      const list = await open(browser.context, `${EXT_ORIGIN}report.html`);
      await list.waitForSelector(`li[data-id="${recent}"]`);
      worker = await liveWorker(browser.context);
      const deadline = Date.now() + 10_000;
      let ids;
      do ids = Object.keys((await worker.evaluate(() => chrome.storage.local.get('reports'))).reports).sort();
      while (ids.includes(old) && Date.now() < deadline);
      assert.deepEqual(ids, [recent, unsent]);
    } finally {
      await browser.close();
    }
  });
});

describe('the context menu', () => {
  test('"report this link" is registered for links', async () => {
    const browser = await launch(server.port, { lang: 'vi' });
    try {
      const worker = await liveWorker(browser.context);
      // Menus cannot be clicked from a test; update() answers whether an item exists.
      const exists = (id) => worker.evaluate((i) => chrome.contextMenus.update(i, {}).then(() => true, () => false), id);
      // The item is made when the extension is installed, just after the worker starts.
      const deadline = Date.now() + 10_000;
      while (!(await exists('report-link')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.equal(await exists('report-link'), true);
      assert.equal(await exists('no-such-item'), false);
    } finally {
      await browser.close();
    }
  });
});

describe('reports delivered to the endpoint named by policy', { skip: !isRoot && 'writing a managed policy file needs root' }, () => {
  let browser;
  const profile = mkdtempSync(join(tmpdir(), 'canhgiac-report-profile-'));

  async function start() {
    browser = await launch(server.port, { lang: 'vi', profile, hosts: { [ENDPOINT_HOST]: endpoint.port } });
    // Chromium hands managed storage over late; wait until the worker applies it.
    const worker = await liveWorker(browser.context);
    const deadline = Date.now() + 30_000;
    while (!(await worker.evaluate(() => chrome.storage.managed.get('reportEndpoint')).catch(() => ({}))).reportEndpoint) {
      if (Date.now() > deadline) throw new Error('managed policy never arrived');
      await new Promise((r) => setTimeout(r, 250));
    }
    // The report page reads the endpoint from the worker: wait until the worker applied the policy.
    const page = await open(browser.context, `${EXT_ORIGIN}report.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    while (await page.isVisible('#no-endpoint')) {
      if (Date.now() > deadline) throw new Error('the worker never applied the managed policy');
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    }
    await page.close();
  }

  /** Reports the app link at `path` from its warning; resolves once its first attempt failed. */
  async function reportThatWaits(path) {
    const page = await open(browser.context, `https://tai-ung-dung.top/tai-ve/${path}`);
    await waitForWarning(page);
    const form = await reportFromWarning(browser.context, page);
    const id = await sendReport(form);
    const waiting = await form.waitForSelector(`li[data-id="${id}"][data-state="queued"][data-attempts="1"]`, { timeout: 40_000 });
    return { form, id, waiting };
  }

  before(async () => {
    mkdirSync(POLICY_DIR, { recursive: true });
    const policy = { reportEndpoint: ENDPOINT, reportContact: { name: 'Tổ CNTT Sở Nội vụ', phone: '0262 3 123 456' } };
    writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }));
    await start();
  });
  after(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  test('a report from a warning arrives once with its fields; the form showed exactly what was sent', async () => {
    const page = await open(browser.context, 'https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap');
    await waitForWarning(page);
    const form = await reportFromWarning(browser.context, page);
    assert.match(await form.textContent('#destination'), new RegExp(ENDPOINT.replace(/[./]/g, '\\$&')));
    assert.match(await form.textContent('.org-contact'), /Tổ CNTT Sở Nội vụ/);
    await form.check('input[name="kind"][value="fake_login"]');
    await form.fill('#contact', '0912 345 678');
    await form.waitForFunction(() => document.getElementById('preview').textContent.includes('0912 345 678'));
    const previewed = JSON.parse(await form.textContent('#preview'));
    const id = await sendReport(form, { kind: 'fake_login', note: 'Trang giả Cổng dịch vụ công.' });
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 20_000 });
    const got = endpoint.requests.filter((r) => r.id === id);
    assert.equal(got.length, 1);
    const body = got[0].body;
    assert.equal(got[0].method, 'POST');
    assert.equal(got[0].path, '/canhgiac/reports');
    assert.equal(body.schemaVersion, 1);
    assert.equal(body.kind, 'fake_login');
    assert.equal(body.url, 'https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap');
    assert.equal(body.note, 'Trang giả Cổng dịch vụ công.');
    assert.equal(body.contact, '0912 345 678');
    assert.equal(body.verdict.registrableDomain, 'xacminh-cutru.top');
    assert.ok(body.verdict.reasons.some((r) => r.code.startsWith('lookalike')), JSON.stringify(body.verdict.reasons));
    assert.match(body.client.extensionVersion, /^\d+\.\d+\.\d+$/);
    assert.equal(body.client.language, 'vi');
    // The preview was the report itself: same id, time, verdict.
    assert.equal(previewed.id, id);
    assert.equal(previewed.createdAt, body.createdAt);
    assert.deepEqual(previewed.verdict, body.verdict);
    // Sent: the outbox no longer holds the report itself.
    const worker = await liveWorker(browser.context);
    assert.deepEqual(await worker.evaluate((k) => chrome.storage.local.get(k), `reportPayload:${id}`), {});
  });

  test('"report this page" from the popup attaches a screenshot whose SHA-256 the form shows and the endpoint receives', async () => {
    const chat = await open(browser.context, 'https://chat.zalo.me/');
    await chat.bringToFront();
    const worker = await liveWorker(browser.context);
    const [tab] = await worker.evaluate(() => chrome.tabs.query({ url: 'https://chat.zalo.me/*' }));
    // The popup in a window of its own, so the chat stays the visible tab of its window.
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${EXT_ORIGIN}report.html`) });
    const popupOpened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(`${EXT_ORIGIN}popup.html`) });
    await worker.evaluate((url) => chrome.windows.create({ url, focused: true }), `${EXT_ORIGIN}popup.html?tab=${tab.id}`);
    const popup = await popupOpened;
    await popup.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await popup.click('#report');
    const form = await opened;
    await form.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    assert.ok(await form.isChecked('#attach-shot'), 'a screenshot was captured and offered');
    const shownHash = (await form.textContent('#shot-hash')).replace('SHA-256: ', '');
    assert.match(shownHash, /^[0-9a-f]{64}$/);
    const id = await sendReport(form, { kind: 'stranger_contact', note: 'Người lạ gửi lời mời kết bạn rồi nhắn tin.' });
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 20_000 });
    const [got] = endpoint.requests.filter((r) => r.id === id);
    assert.equal(got.body.url, 'https://chat.zalo.me/');
    assert.equal(got.body.page.title, 'chat.zalo.me/');
    const [shot] = got.body.evidence;
    assert.equal(shot.type, 'screenshot');
    assert.equal(shot.mime, 'image/jpeg');
    assert.equal(shot.sha256, shownHash);
    // The hash is of the bytes that arrived: a JPEG.
    const bytes = Buffer.from(shot.data, 'base64');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), shownHash);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  });

  test('with the endpoint refusing connections the report waits, then is delivered once when it comes back', async () => {
    await endpoint.stop();
    const { form, id, waiting } = await reportThatWaits('VNeID.apk');
    assert.match(await waiting.textContent(), /Đang chờ gửi/);
    await endpoint.start();
    // The retry alarm brings it (about 15 s after the failure).
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 60_000 });
    assert.equal(endpoint.requests.filter((r) => r.id === id).length, 1);
  });

  test('a 503 then a 201 delivers the report once', async () => {
    endpoint.script.push(503);
    const { form, id, waiting } = await reportThatWaits('Zalo-moi.apk');
    assert.match(await waiting.textContent(), /HTTP 503/);
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 60_000 });
    assert.deepEqual(endpoint.requests.filter((r) => r.id === id).map((r) => r.status), [503, 201]);
  });

  test('a report the endpoint refuses (422) is kept and shown as failed, not retried, until the user tries again', async () => {
    endpoint.script.push(422);
    const page = await open(browser.context, 'https://tai-ung-dung.top/tai-ve/Tax-moi.apk');
    await waitForWarning(page);
    const form = await reportFromWarning(browser.context, page);
    const id = await sendReport(form);
    const failed = await form.waitForSelector(`li[data-id="${id}"][data-state="failed"]`, { timeout: 20_000 });
    assert.match(await failed.textContent(), /HTTP 422/);
    // Not retried on its own: a retry would come after about 15 s.
    await form.waitForTimeout(20_000);
    assert.deepEqual(endpoint.requests.filter((r) => r.id === id).map((r) => r.status), [422]);
    const worker = await liveWorker(browser.context);
    assert.ok((await worker.evaluate((k) => chrome.storage.local.get(k), `reportPayload:${id}`))[`reportPayload:${id}`], 'still kept');
    await form.click(`li[data-id="${id}"] button.retry`);
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 20_000 });
    assert.deepEqual(endpoint.requests.filter((r) => r.id === id).map((r) => r.status), [422, 201]);
  });

  test('the service worker stopped between queueing and sending still delivers the report once', async () => {
    await endpoint.stop();
    const { form, id } = await reportThatWaits('eTax.apk');
    const cdp = await browser.context.newCDPSession(form);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await endpoint.start();
    // Only the alarm can wake a worker now: nothing else happens in the browser.
    await form.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 60_000 });
    assert.equal(endpoint.requests.filter((r) => r.id === id && r.status < 300).length, 1);
    const [delivered] = endpoint.requests.filter((r) => r.id === id);
    assert.equal(delivered.status, 201);
  });

  test('a report queued when the browser closes is delivered once after it starts again', async () => {
    await endpoint.stop();
    const { id } = await reportThatWaits('BHXH.apk');
    await browser.close();
    await endpoint.start();
    await start();
    const list = await open(browser.context, `${EXT_ORIGIN}report.html`);
    await list.waitForSelector(`li[data-id="${id}"][data-state="sent"]`, { timeout: 60_000 });
    assert.equal(endpoint.requests.filter((r) => r.id === id && r.status < 300).length, 1);
    assert.equal(await stateOf(list, id), 'sent');
  });
});
