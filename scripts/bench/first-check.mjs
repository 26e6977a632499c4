// Times the wasm engine's cold start in Node, each run in a fresh process (so V8 has compiled
// nothing yet), the way a restarted service worker meets it: compile, instantiate, engine with
// its policy, first check. Three ways side by side: no admin policy; the example policy applied
// as JSON (what the worker does without a snapshot); the same policy restored from its snapshot.
//   node scripts/bench/first-check.mjs [runs] [engine-dir]   (defaults: 15, dist/extension/engine)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [mode, arg1, arg2] = process.argv.slice(2);

/** One cold start, in this process: prints its stage times as JSON. */
async function once(how, dir, snapshotFile) {
  const bytes = readFileSync(`${dir}/canhgiac_bg.wasm`);
  const policy = JSON.parse(readFileSync(`${root}/admin/example-policy.json`, 'utf8'));
  const snapshot = snapshotFile ? readFileSync(snapshotFile) : null;
  const glue = await import(pathToFileURL(`${dir}/canhgiac.js`).href);
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  glue.initSync({ module });
  const t2 = performance.now();
  const engine = new glue.Engine();
  if (how === 'json') engine.applyPolicies(policy, null);
  if (how === 'snapshot') engine.restorePolicy(snapshot);
  engine.setBrowserLanguage('vi');
  const t3 = performance.now();
  const verdict = engine.checkUrl('https://tai-ung-dung.top/tai-ve/VNeID.a%70k');
  const t4 = performance.now();
  if (verdict.verdict !== 'warn') throw new Error(`unexpected verdict ${verdict.verdict}`);
  console.log(JSON.stringify({ compile: t1 - t0, instantiate: t2 - t1, engine: t3 - t2, firstCheck: t4 - t3, total: t4 - t0 }));
}

if (mode === '--once') {
  await once(arg1, arg2, process.argv[5]);
} else {
  const runs = Number(mode ?? 15);
  const dir = resolve(arg1 ?? `${root}/dist/extension/engine`);
  // The snapshot is made by a warm engine in another process, as the last worker would have.
  const glue = await import(pathToFileURL(`${dir}/canhgiac.js`).href);
  glue.initSync({ module: readFileSync(`${dir}/canhgiac_bg.wasm`) });
  const warm = new glue.Engine();
  warm.applyPolicies(JSON.parse(readFileSync(`${root}/admin/example-policy.json`, 'utf8')), null);
  const snapshotFile = join(tmpdir(), `canhgiac-bench-snapshot-${process.pid}.bin`);
  writeFileSync(snapshotFile, warm.policySnapshot());
  const ways = ['none', 'json', 'snapshot'];
  const rows = Object.fromEntries(ways.map((w) => [w, []]));
  // The ways take turns, so they share the machine's ups and downs.
  for (let i = 0; i < runs; i++) {
    for (const how of ways) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--once', how, dir, snapshotFile]);
      rows[how].push(JSON.parse(out.toString()));
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  console.log(`Cold start in Node ${process.version}, medians of ${runs} fresh processes (ms); policy: admin/example-policy.json`);
  console.log(`${'way'.padEnd(10)}${['compile', 'instantiate', 'engine', 'firstCheck', 'total'].map((k) => k.padStart(12)).join('')}`);
  for (const how of ways) {
    const cells = ['compile', 'instantiate', 'engine', 'firstCheck', 'total'].map((k) => median(rows[how].map((r) => r[k])).toFixed(2).padStart(12));
    console.log(`${how.padEnd(10)}${cells.join('')}`);
  }
}
