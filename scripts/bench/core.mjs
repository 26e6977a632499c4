// The wasm benchmark body, shared by Node and Chromium: the same code measures the engine and
// its peers (the platform's own URL parser; tldts for registrable domains) in one run.

const URLS = [
  'https://www.vietcombank.com.vn/vi-VN/Ca-nhan',
  'https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid',
  'https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap',
  'http://103.21.4.9/download/VNeID.apk',
  'https://l.facebook.com/l.php?u=https%3A%2F%2Fbit.ly%2F3abc&h=AT0',
  'https://zalo.me/0912345678',
  'https://vnexpress.net/thoi-su',
  'https://drive.google.com/uc?export=download&id=1AbC',
];
const HOSTS = ['www.dichvucong.gov.vn', 'a.b.evil.web.app', 'play.google.com.app-vn.top', 'x.y.z.kobe.jp'];

/** Median of per-call times (ns) over `rounds` rounds of `calls` calls. */
function perCall(now, fn, calls, rounds = 15) {
  // One unmeasured round first: V8 tiers wasm and JS up as they run, and without it whichever
  // function is measured first pays for the others' warm-up.
  for (let i = 0; i < calls; i++) fn(i);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t = now();
    for (let i = 0; i < calls; i++) fn(i);
    samples.push(((now() - t) * 1e6) / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** A chat page's worth of links: mostly ordinary, some traps, many repeats. */
function chatLinks(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    if (k === 0) out.push({ href: `https://tai-ung-dung-${i % 37}.top/VNeID.apk`, text: 'Cập nhật VNeID' });
    else if (k === 1) out.push({ href: `https://tin-tuc-${i % 53}.top/bai-viet`, text: 'dichvucong.gov.vn' });
    else out.push({ href: `https://vnexpress.net/bai-${i % 500}.html`, text: `Bài ${i}` });
  }
  return out;
}

/**
 * Runs every measurement. `load` returns the initialised wasm-bindgen module; `now` is a
 * millisecond clock; `tldts` is the peer; `policy` the example admin policy (optional).
 */
export async function run({ load, now, tldts, policy, loadFloor }) {
  const t0 = now();
  const mod = await load();
  const engine = new mod.Engine();
  const first = engine.checkUrl(URLS[0]);
  const startToFirstVerdictMs = now() - t0;
  if (first.verdict !== 'allow') throw new Error(`unexpected first verdict ${first.verdict}`);

  const results = { startToFirstVerdictMs };
  // The worker's engine memory at rest: built-in tables plus the example admin policy in force,
  // before the measurements below grow the heap (wasm memory never shrinks).
  if (policy) engine.applyPolicies(policy, null);
  URLS.forEach((u) => engine.checkUrl(u));
  results.wasmMemoryAtRestMiB = mod.__wasmMemoryMiB ? mod.__wasmMemoryMiB() : null;
  results.checkUrlNs = perCall(now, (i) => engine.checkUrl(URLS[i % URLS.length]), 4000);
  results.peerUrlParseNs = perCall(now, (i) => new URL(URLS[i % URLS.length]), 4000);
  // The floor under any check: the same wasm build's URL parser alone (a bench-only export).
  if (loadFloor) {
    const floor = await loadFloor();
    results.floorUrlParseNs = perCall(now, (i) => floor.floorParseUrl(URLS[i % URLS.length]), 4000);
  }
  // Cold hosts: every call a host not seen before (the engine's per-host memo never helps), beside
  // the platform parse of the same addresses.
  const distinct = Array.from({ length: 20000 }, (_, i) => `https://cua-hang-${i}.ban-le-${i % 97}.vn/san-pham/${i}`);
  let next = 0;
  results.checkUrlDistinctNs = perCall(now, () => engine.checkUrl(distinct[next++ % distinct.length]), 1000, 9);
  results.peerUrlDistinctNs = perCall(now, (i) => new URL(distinct[i % distinct.length]), 1000, 9);
  // The navigation hot path: the full object only for a warning.
  if (engine.checkNavigation) results.checkNavigationNs = perCall(now, (i) => engine.checkNavigation(URLS[i % URLS.length]), 4000);
  results.registrableNs = perCall(now, (i) => engine.registrableDomain(HOSTS[i % HOSTS.length]), 4000);
  results.peerTldtsNs = perCall(now, (i) => tldts.getDomain(HOSTS[i % HOSTS.length]), 4000);
  const links = chatLinks(5000);
  results.checkLinks5000Ms = perCall(now, () => engine.checkLinks(links), 1, 9) / 1e6;
  // The content script's call: one packed string in, index pairs and shared verdicts out.
  const pack = (list) => list.map((l) => (l.text ? `${l.href}\t${l.text}` : l.href)).join('\n');
  results.markLinks5000Ms = perCall(now, () => engine.markLinks(pack(links)), 1, 9) / 1e6;
  results.markLinksPerLinkNs = (results.markLinks5000Ms * 1e6) / links.length;
  results.peerUrlPerLinkNs = perCall(now, (i) => new URL(links[i % links.length].href), 5000);
  // The worst case for the caches: 5,000 different addresses (a feed of profiles).
  const unique = Array.from({ length: 5000 }, (_, i) => ({ href: `https://www.facebook.com/profile.php?id=${100000 + i}`, text: `Người dùng ${i}` }));
  results.markLinksUnique5000Ms = perCall(now, () => engine.markLinks(pack(unique)), 1, 9) / 1e6;
  const feed = Array.from({ length: 500000 }, (_, i) => `scam-${String(i).padStart(7, '0')}.top`).join('\n');
  const tf = now();
  const parsed = mod.parseFeed(feed, 'domains');
  results.parseFeed500kMs = now() - tf;
  results.feedCopyKiB = parsed.copy.length / 1024;
  const ts = now();
  engine.setFeeds([parsed.copy]);
  results.restoreFeedMs = now() - ts;
  results.feedHitVerdict = engine.checkUrl('https://www.scam-0123456.top/').verdict;
  results.wasmMemoryMiB = mod.__wasmMemoryMiB ? mod.__wasmMemoryMiB() : null;
  return results;
}
