#!/usr/bin/env node
// Measures the service worker's start-up in Debian's Chromium with the built extension: the
// worker is stopped (as the browser does after 30 s idle), a navigation wakes it, and the
// worker's own timings are read back. Prints the median of each stage over the runs.
// Needs ./build.sh first. Usage: node scripts/bench-startup.mjs [runs] [dist/extension]
import { launch, open, startServer, waitForWarning } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 15);
const dist = process.argv[3];
const STAGES = [
  ['scriptStartMs', 'worker time origin → our module runs (Chromium loading the worker and its modules)'],
  ['fetchMs', 'module start → wasm response'],
  ['bytesMs', '… wasm bytes read'],
  ['compileMs', '… wasm compiled'],
  ['wasmMs', '… wasm instantiated'],
  ['storedPolicyMs', '… stored policy read (in parallel)'],
  ['readyMs', '… engine made, policy applied'],
  ['firstVerdictMs', '… first verdict (the budget: ≤ 10 ms)'],
  ['firstCheckMs', 'the first check alone'],
];

const server = await startServer();
const browser = await launch(server.port, dist ? { dist } : {});
const page = await open(browser.context, 'https://trang-chu.example.vn/');
const cdp = await browser.context.newCDPSession(page);
await cdp.send('ServiceWorker.enable');
const rows = [];
for (let i = 0; i < runs; i++) {
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 500));
  // A percent-encoded app file escapes the static rule: only the engine in the worker catches it.
  await page.goto(`https://tai-ung-dung.top/tai-ve/VNeID-${i}.a%70k`).catch(() => {});
  await waitForWarning(page);
  rows.push(await page.evaluate(() => chrome.runtime.sendMessage({ type: 'stats' })));
}
await browser.close();
server.close();

const median = (key) => {
  const v = rows.map((r) => r[key]).filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : NaN;
};
console.log(`Service-worker start-up, median of ${runs} restarts (ms):`);
for (const [key, what] of STAGES) console.log(`  ${key.padEnd(15)} ${median(key).toFixed(1).padStart(6)}  ${what}`);
const total = rows.map((r) => r.scriptStartMs + r.firstVerdictMs).sort((a, b) => a - b);
console.log(`  ${'total'.padEnd(15)} ${total[total.length >> 1].toFixed(1).padStart(6)}  worker time origin → first verdict`);
