// Times the wasm engine's first checks in a fresh Node process (one cold start per run):
//   node scripts/bench/first-check.mjs [engine-dir]      (default dist/extension/engine)
//   for i in 1 2 3 4 5; do node scripts/bench/first-check.mjs; done
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(process.argv[2] ?? `${root}/dist/extension/engine`);
const bytes = readFileSync(`${dir}/canhgiac_bg.wasm`);
const mod = await import(pathToFileURL(`${dir}/canhgiac.js`).href);
const t0 = performance.now();
mod.initSync({ module: bytes });
const e = new mod.Engine();
const a = performance.now();
e.checkUrl('https://tai-ung-dung.top/tai-ve/VNeID.a%70k');
const b = performance.now();
e.checkUrl('https://dichvucong.gov.vn.xacminh-cutru.top/');
const c = performance.now();
console.log('init+new', (a - t0).toFixed(2), 'first', (b - a).toFixed(2), 'second', (c - b).toFixed(2));
