#!/usr/bin/env node
// A 1,000,000-entry block list in the wasm engine beside a peer, a JavaScript Set of strings, in
// the same run: parse on refresh (and the longest pause one piece of it causes), the stored
// copy's size, a worker start that restores the copy without parsing (in a fresh process, so the
// memory counted is the list's alone), memory, and a lookup. Needs ./build.sh first.
// Usage: node --expose-gc scripts/bench-lists.mjs
//        node --expose-gc scripts/bench-lists.mjs --memory   the worker's memory after a start with
//        the example admin policy and the built-in lists, then with a 1,000,000-entry feed, beside
//        the lists' sizes on disk (each figure from a fresh process restoring stored copies)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const engineJs = join(root, 'dist/extension/engine/canhgiac.js');
const engineWasm = join(root, 'dist/extension/engine/canhgiac_bg.wasm');
const ENTRIES = 1_000_000;
/** The piece size extension/lists.js hands the engine. */
const CHUNK_CHARS = 64 * 1024;
const MiB = 1024 * 1024;
const gc = () => globalThis.gc?.();

async function loadEngine() {
  const mod = await import(engineJs);
  const exports = mod.initSync({ module: readFileSync(engineWasm) });
  return { mod, wasmBytes: () => exports.memory.buffer.byteLength };
}

/** A list shaped like the real ones: registrable domains, some subdomains, a few IPs. */
function listText() {
  const lines = ['# benchmark list'];
  for (let i = 0; i < ENTRIES; i += 1) {
    if (i % 50 === 0) lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    else if (i % 7 === 0) lines.push(`login.ngan-hang-${i}.top`);
    else lines.push(`lua-dao-${i.toString(36)}.com.vn`);
  }
  return `${lines.join('\n')}\n`;
}

/** Median ns per call over rounds. */
function perCall(fn, calls = 20000, rounds = 9) {
  const s = [];
  for (let r = 0; r < rounds; r += 1) {
    const t = performance.now();
    for (let i = 0; i < calls; i += 1) fn(i);
    s.push(((performance.now() - t) * 1e6) / calls);
  }
  return s.sort((a, b) => a - b)[rounds >> 1];
}

/** Every parent domain of `host`, as a list lookup walks them. */
const suffixes = (host) => {
  const out = [];
  for (let at = 0; at !== -1; at = host.indexOf('.', at) + 1 || -1) {
    out.push(host.slice(at));
    if (host.indexOf('.', at) === -1) break;
  }
  return out;
};

async function refreshSide(dir) {
  const text = listText();
  const { mod, wasmBytes } = await loadEngine();
  const engine = new mod.Engine();
  const wasmBefore = wasmBytes();
  // The refresh path: pieces cut at line ends, as extension/lists.js does (without its pauses),
  // told the last copy's size as a refresh is.
  const parser = new mod.ListParser(ENTRIES);
  let longest = 0;
  const t0 = performance.now();
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + CHUNK_CHARS);
    if (end < text.length) end = text.indexOf('\n', end) + 1 || text.length;
    const tp = performance.now();
    parser.push(text.slice(at, end));
    longest = Math.max(longest, performance.now() - tp);
    at = end;
  }
  const tf = performance.now();
  const { copy, stats } = parser.finish(null);
  const finishMs = performance.now() - tf;
  const parseMs = performance.now() - t0;
  const t1 = performance.now();
  engine.setBuiltinLists(['bench'], [copy]);
  const setMs = performance.now() - t1;
  const listed = 'https://login.ngan-hang-707.top/dang-nhap';
  if (engine.checkUrl(listed).verdict !== 'warn') throw new Error('the listed host was not warned');
  const checkNs = perCall(() => engine.checkUrl(listed));
  // The same check on an engine without the list: what the list adds to a check.
  const bare = new mod.Engine();
  const bareNs = perCall(() => bare.checkUrl(listed));
  const wasmAfter = wasmBytes();
  writeFileSync(join(dir, 'copy.bin'), copy);
  writeFileSync(join(dir, 'list.txt'), text);

  // The peer: a Set of the list's strings, built from the same text.
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t2 = performance.now();
  const set = new Set();
  for (const line of text.split('\n')) if (line && !line.startsWith('#')) set.add(line);
  const peerParseMs = performance.now() - t2;
  gc();
  const peerHeap = process.memoryUsage().heapUsed - heap0;
  const host = 'login.ngan-hang-707.top';
  const peerLookupNs = perCall(() => suffixes(host).some((s) => set.has(s)));
  const peerJsonBytes = JSON.stringify([...set]).length;
  writeFileSync(join(dir, 'peer.json'), JSON.stringify([...set]));
  return {
    entries: stats.entries,
    badLines: stats.badLines,
    textMiB: text.length / MiB,
    parseMs,
    finishMs,
    longestPieceMs: longest,
    setMs,
    copyMiB: copy.length / MiB,
    wasmGrowthDuringRefreshMiB: (wasmAfter - wasmBefore) / MiB,
    checkUrlNs: checkNs,
    checkUrlBareNs: bareNs,
    peerParseMs,
    peerHeapMiB: peerHeap / MiB,
    peerLookupNs,
    peerStoredMiB: peerJsonBytes / MiB,
  };
}

/** A worker start: a fresh process restores the stored copy (bytes, as IndexedDB keeps it). */
async function restoreSide(dir) {
  const { mod, wasmBytes } = await loadEngine();
  const engine = new mod.Engine();
  engine.checkUrl('https://vnexpress.net/');
  const bytes = new Uint8Array(readFileSync(join(dir, 'copy.bin')));
  gc();
  const wasm0 = wasmBytes();
  const heap0 = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  engine.setBuiltinLists(['bench'], [bytes]);
  const restoreMs = performance.now() - t1;
  const first = engine.checkUrl('https://login.ngan-hang-707.top/');
  if (first.verdict !== 'warn') throw new Error('restored list does not warn');
  gc();
  return {
    restoreMs,
    wasmGrowthMiB: (wasmBytes() - wasm0) / MiB,
    wasmTotalMiB: wasmBytes() / MiB,
    jsHeapAfterMiB: (process.memoryUsage().heapUsed - heap0) / MiB,
  };
}

/** The peer's worker start: its stored JSON array back into a Set. */
function peerRestoreSide(dir) {
  const text = readFileSync(join(dir, 'peer.json'), 'utf8');
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const set = new Set(JSON.parse(text));
  const restoreMs = performance.now() - t0;
  gc();
  if (!set.has('login.ngan-hang-707.top')) throw new Error('peer restore lost an entry');
  return { restoreMs, heapMiB: (process.memoryUsage().heapUsed - heap0) / MiB };
}

/** A worker start in a fresh process: the example admin policy, the built-in lists restored from
 * their stored copies, a few checks; then the 1,000,000-entry feed's stored copy put in force. */
async function memorySide(dir) {
  const { mod, wasmBytes } = await loadEngine();
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const engine = new mod.Engine();
  const sample = () => {
    gc();
    const used = process.memoryUsage().heapUsed;
    return { wasmMiB: wasmBytes() / MiB, jsHeapMiB: (used - heap0) / MiB, jsHeapUsedMiB: used / MiB };
  };
  const bare = sample();
  engine.applyPolicies(JSON.parse(readFileSync(join(root, 'admin/example-policy.json'), 'utf8')), null);
  const lists = JSON.parse(readFileSync(join(dir, 'builtin.json'), 'utf8'));
  engine.setBuiltinLists(
    lists.map((l) => l.name),
    lists.map((l) => new Uint8Array(readFileSync(join(dir, l.copy)))),
  );
  for (const u of ['https://vnexpress.net/', 'https://dichvucong.gov.vn.xacminh-cutru.top/', 'http://103.21.4.9/a.apk']) engine.checkUrl(u);
  const policyAndLists = sample();
  const feed = new Uint8Array(readFileSync(join(dir, 'copy.bin')));
  engine.setFeeds([feed]);
  if (engine.checkUrl('https://login.ngan-hang-707.top/').verdict === 'allow') throw new Error('the feed was not applied');
  const withFeed = sample();
  return { bare, policyAndLists, withFeed };
}

/** `--memory`: stored copies written here, measured in a fresh process. */
async function memoryReport() {
  const dir = mkdtempSync(join(tmpdir(), 'canhgiac-bench-memory-'));
  try {
    const { mod } = await loadEngine();
    const builtin = [];
    let builtinTextBytes = 0;
    let builtinCopyBytes = 0;
    for (const [i, l] of mod.builtinLists(null).entries()) {
      const text = readFileSync(join(root, 'dist/extension/lists', l.file), 'utf8');
      const parser = new mod.ListParser(null);
      parser.push(text);
      const { copy } = parser.finish(null);
      writeFileSync(join(dir, `builtin-${i}.bin`), copy);
      builtin.push({ name: l.name, copy: `builtin-${i}.bin` });
      builtinTextBytes += Buffer.byteLength(text);
      builtinCopyBytes += copy.length;
    }
    writeFileSync(join(dir, 'builtin.json'), JSON.stringify(builtin));
    const text = listText();
    const parsed = mod.parseFeed(text, 'domains');
    writeFileSync(join(dir, 'copy.bin'), parsed.copy);
    const m = JSON.parse(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory-side', dir], { encoding: 'utf8' }));
    const f = (v) => v.toFixed(2);
    console.log(`${'worker memory (MiB), fresh Node process'.padEnd(52)}${'wasm'.padStart(10)}${'JS heap +'.padStart(10)}${'heapUsed'.padStart(10)}`);
    for (const [label, v] of [
      ['engine only, no policy, no lists', m.bare],
      ['example admin policy + built-in lists + 3 checks', m.policyAndLists],
      [`  + a ${ENTRIES.toLocaleString('en')}-entry feed in force`, m.withFeed],
    ]) console.log(`${label.padEnd(52)}${f(v.wasmMiB).padStart(10)}${f(v.jsHeapMiB).padStart(10)}${f(v.jsHeapUsedMiB).padStart(10)}`);
    console.log('(JS heap +: growth since the module was loaded, after a GC; heapUsed: the whole process heap, Node\'s own included)');
    console.log('on disk (MiB):');
    console.log(`  built-in lists: text ${f(builtinTextBytes / MiB)}, stored copies ${f(builtinCopyBytes / MiB)}`);
    console.log(`  the feed: text ${f(Buffer.byteLength(text) / MiB)}, stored copy ${f(parsed.copy.length / MiB)} (${parsed.stats.entries} entries)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = process.argv[2];
if (role === '--memory-side') {
  process.stdout.write(JSON.stringify(await memorySide(process.argv[3])));
} else if (role === '--memory') {
  await memoryReport();
} else if (role === '--restore' || role === '--peer-restore') {
  const out = role === '--restore' ? await restoreSide(process.argv[3]) : peerRestoreSide(process.argv[3]);
  process.stdout.write(JSON.stringify(out));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'canhgiac-bench-lists-'));
  try {
    const refresh = await refreshSide(dir);
    const child = (flag) =>
      JSON.parse(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), flag, dir], { encoding: 'utf8', maxBuffer: 1 << 20 }));
    const restore = child('--restore');
    const peer = child('--peer-restore');
    const f = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
    const rows = [
      ['entries kept', refresh.entries, ''],
      ['list text (MiB)', refresh.textMiB, ''],
      ['parse on refresh, total (ms)', refresh.parseMs, refresh.peerParseMs],
      ['  longest single piece (ms)', refresh.longestPieceMs, '—'],
      ['  sort + copy at the end (ms)', refresh.finishMs, '—'],
      ['stored copy (MiB)', refresh.copyMiB, refresh.peerStoredMiB],
      ['worker start: restore (ms)', restore.restoreMs, peer.restoreMs],
      ['worker memory for the list (MiB)', restore.wasmGrowthMiB, peer.heapMiB],
      ['  wasm memory in total (MiB)', restore.wasmTotalMiB, '—'],
      ['  JS heap left after restore (MiB)', restore.jsHeapAfterMiB, '—'],
      ['wasm growth during a refresh (MiB)', refresh.wasmGrowthDuringRefreshMiB, '—'],
      ['checkUrl with the list (ns)', refresh.checkUrlNs, '—'],
      ['checkUrl without it (ns)', refresh.checkUrlBareNs, '—'],
      ['lookup of one host (ns, engine: difference)', refresh.checkUrlNs - refresh.checkUrlBareNs, refresh.peerLookupNs],
    ];
    console.log(`${'1,000,000-entry list'.padEnd(40)}${'engine'.padStart(12)}${'peer Set'.padStart(12)}`);
    for (const [label, a, b] of rows) console.log(`${label.padEnd(40)}${(typeof a === 'number' ? f(a) : a).padStart(12)}${(typeof b === 'number' ? f(b) : b).padStart(12)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
