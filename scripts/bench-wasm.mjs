#!/usr/bin/env node
// Runs the wasm engine benchmark in Node and in Debian's Chromium, side by side with peers
// (the platform URL parser, tldts) and a floor: the same crate built with `bench-floor`, whose
// `floorParseUrl` is the `url` crate's parse alone. Needs ./build.sh first (the floor build takes a
// minute the first time). Usage: node scripts/bench-wasm.mjs
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const engineJs = join(root, 'dist/extension/engine/canhgiac.js');
const engineWasm = join(root, 'dist/extension/engine/canhgiac_bg.wasm');
const { run } = await import('./bench/core.mjs');

// Its own target folder, as build.sh keeps the fault-injection engine: never near dist/.
const floorTarget = join(root, 'target/bench-floor');
const floorDir = join(floorTarget, 'engine');
execFileSync('cargo', ['build', '--lib', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm', '--features', 'bench-floor'], {
  cwd: root,
  env: { ...process.env, CARGO_TARGET_DIR: floorTarget },
  stdio: ['ignore', 'ignore', 'inherit'],
});
execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', floorDir, '--out-name', 'canhgiac', join(floorTarget, 'wasm32-unknown-unknown/wasm/canhgiac.wasm')], { cwd: root, stdio: 'inherit' });
const tldts = await import('tldts');

async function inNode() {
  const load = async () => {
    const mod = await import(engineJs);
    const exports = mod.initSync({ module: await readFile(engineWasm) });
    return { ...mod, __wasmMemoryMiB: () => exports.memory.buffer.byteLength / 1048576 };
  };
  const policy = JSON.parse(await readFile(join(root, 'admin/example-policy.json'), 'utf8'));
  const loadFloor = async () => {
    const floor = await import(join(floorDir, 'canhgiac.js'));
    floor.initSync({ module: await readFile(join(floorDir, 'canhgiac_bg.wasm')) });
    return floor;
  };
  return run({ load, now: () => performance.now(), tldts, policy, loadFloor });
}

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' };

async function inChromium() {
  const { chromium } = await import('playwright-core');
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/scripts/bench/page.html?floor=/target/bench-floor/engine`);
    await page.waitForFunction(() => window.benchResult !== undefined);
    return await page.evaluate(() => window.benchResult);
  } finally {
    await browser.close();
    server.close();
  }
}

const node = await inNode();
const browser = await inChromium();
if (browser.error) throw new Error(`Chromium run failed: ${browser.error}`);
const wasmBytes = (await readFile(engineWasm)).length;
const rows = [
  ['start to first verdict (ms)', 'startToFirstVerdictMs'],
  ['checkUrl, median per call (ns)', 'checkUrlNs'],
  ['  peer: new URL() (ns)', 'peerUrlParseNs'],
  ['  floor: the url crate\'s parse alone, wasm (ns)', 'floorUrlParseNs'],
  ['checkUrl, distinct hosts (ns)', 'checkUrlDistinctNs'],
  ['  peer: new URL(), same URLs (ns)', 'peerUrlDistinctNs'],
  ['checkNavigation, per call (ns)', 'checkNavigationNs'],
  ['registrableDomain (ns)', 'registrableNs'],
  ['  peer: tldts.getDomain (ns)', 'peerTldtsNs'],
  ['checkLinks, 5,000 links (ms)', 'checkLinks5000Ms'],
  ['markLinks, 5,000 links (ms)', 'markLinks5000Ms'],
  ['  per link (ns)', 'markLinksPerLinkNs'],
  ['  peer: new URL() per link (ns)', 'peerUrlPerLinkNs'],
  ['markLinks, 5,000 distinct (ms)', 'markLinksUnique5000Ms'],
  ['parseFeed, 500,000 domains (ms)', 'parseFeed500kMs'],
  ['  stored copy (KiB)', 'feedCopyKiB'],
  ['  restore copy at start (ms)', 'restoreFeedMs'],
  ['wasm memory at rest, example policy (MiB)', 'wasmMemoryAtRestMiB'],
  ['wasm memory after all (MiB)', 'wasmMemoryMiB'],
];
const fmt = (v) => (typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
const { gzipSync } = await import('node:zlib');
const wasmRaw = await readFile(engineWasm);
console.log(`wasm: ${wasmBytes} bytes, ${gzipSync(wasmRaw, { level: 9 }).length} gzipped`);
console.log(`${'measure'.padEnd(44)}${'Node'.padStart(12)}${'Chromium'.padStart(12)}`);
for (const [label, key] of rows) console.log(`${label.padEnd(44)}${fmt(node[key]).padStart(12)}${fmt(browser[key]).padStart(12)}`);
