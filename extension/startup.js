// Start-up and faults: the worker's one engine, how it starts (compiled while its bytes arrive,
// with the last known policy put back before the first verdict), the fresh engine that takes over
// after a fault, the policy in force, and the timings that measure all this (`stats`).
//
// Storage (extension-local): managedPolicy, userOptions (the two policies' JSON), policySnapshot
// (the engine's snapshot of the policy in force, which the next worker starts from).
import init, { Engine } from './engine/canhgiac.js';
import { moveStaticRules, publishPolicyRules } from './browser-rules.js';
import * as feeds from './feeds.js';
import * as lists from './lists.js';
import * as copies from './copies.js';
import * as platform from './platform.js';

const workerStart = performance.now();
// Times in ms from this module's start; scriptStartMs is how long the worker took to reach it.
export const stats = {
  scriptStartMs: workerStart,
  wasmMs: null,
  /** Set when the warm-up ran (see `warmUp`). */
  warmUpMs: null,
  storedPolicyMs: null,
  storedCopiesMs: null,
  readyMs: null,
  firstEventMs: null,
  firstVerdictMs: null,
  firstCheckMs: null,
  firstWaitMs: null,
  firstFromNavigationMs: null,
  /** How many times the engine faulted (a trap) and a fresh one took over. */
  faults: 0,
  /** Why the engine could not start, when it could not. */
  engineError: null,
  /** Where the policy in force at start came from: 'snapshot' or 'json'. */
  policyFrom: null,
};
let live = null;
/** The engine's account of the policy in force; made when first asked for (see currentStatus). */
let policyStatus = null;
/** The JSON behind a policy restored from its snapshot, until it is applied for its status. */
let restoredFrom = null;

/** The engine in force (null until it has started; another one after a fault). */
export const engine = () => live;

/** The language of the extension's pages and messages: the policy's, else the browser's (the
 * engine decides). */
export const language = () => live.language();

/** Whether the engine could not start. */
export const failed = () => stats.engineError !== null;

// ---- The policy in force.

/** Applies the admin's policy and the user's options (admin first, decided by the engine). The
 * status object is not built here: at start-up the first verdict must not wait for it. */
function applyPoliciesNow(admin, user) {
  live.applyPolicies(admin, user);
  policyInForce(null);
}

/** After the engine's policy changed (the engine follows its language itself): the caches that
 * described the old one. */
function policyInForce(jsonBehindSnapshot) {
  policyStatus = null;
  restoredFrom = jsonBehindSnapshot;
}

/** The snapshot of the policy in force, as storage keeps it. */
const policySnapshot = () => copies.toBase64(live.policySnapshot());

/**
 * Puts what storage keeps back into the engine: the list and feed copies (`kept`, from
 * copies.load) and, unless `policy` is false, the policy in `saved` (its snapshot, else its
 * JSON). Returns whether the policy came from the snapshot.
 */
function putBack(saved, kept, { policy = true } = {}) {
  feeds.putBack(live, kept.feeds);
  lists.putBack(live, kept.lists);
  if (!policy) return false;
  const admin = saved.managedPolicy ?? null;
  const user = saved.userOptions ?? null;
  const restored = restorePolicyNow(saved.policySnapshot, admin, user);
  if (!restored) applyPoliciesNow(admin, user);
  return restored;
}

/**
 * At start-up, puts back the policy the last worker saved as a snapshot, which is quicker than
 * applying its JSON; the JSON (`admin`, `user`) is applied only when its findings (problems,
 * managed keys) are asked for. Returns false when there is no usable snapshot.
 */
function restorePolicyNow(snapshot, admin, user) {
  if (typeof snapshot !== 'string') return false;
  try {
    live.restorePolicy(copies.fromBase64(snapshot));
  } catch (e) {
    // Another engine version wrote it, or it is damaged: the JSON is applied instead.
    console.info('policy snapshot not used:', e.message ?? e);
    return false;
  }
  policyInForce([admin, user]);
  return true;
}

/** The effective policy in force; a restored snapshot has it without its JSON. */
export function effectivePolicy() {
  policyStatus ??= live.policyStatus();
  return policyStatus.effective;
}

/** The status of the policy in force: problems found, keys the admin set, the effective policy. */
export function currentStatus() {
  if (restoredFrom) applyPoliciesNow(...restoredFrom);
  policyStatus ??= live.policyStatus();
  return policyStatus;
}

/** What follows a policy change but need not delay a verdict: its rules and its feeds. */
async function publishPolicy() {
  await publishPolicyRules(live).catch((e) => console.warn('dynamic rules', e));
  await feeds.schedule(effectivePolicy()).catch((e) => console.warn('feeds alarm', e));
  await lists.schedule(effectivePolicy()).catch((e) => console.warn('built-in lists alarm', e));
}

/** Applies and keeps both policies, with the snapshot the next worker starts from, in one write. */
async function applyPolicies(admin, user) {
  applyPoliciesNow(admin, user);
  await platform.storage.local.set({ managedPolicy: admin, userOptions: user, policySnapshot: policySnapshot() });
  await publishPolicy();
}

/** Takes the admin's policy from managed storage when it differs from the one kept. */
export async function refreshManagedPolicy() {
  const managed = await platform.storage.managed();
  const admin = Object.keys(managed).length ? managed : null;
  const { managedPolicy = null, userOptions = null } = await platform.storage.local.get(['managedPolicy', 'userOptions']);
  if (JSON.stringify(admin) === JSON.stringify(managedPolicy)) return;
  await applyPolicies(admin, userOptions);
}

// ---- Faults.

/** Whether `e` is the engine faulting (a wasm trap, which is what a Rust panic becomes), as
 * opposed to the engine refusing bad input with an error of its own. */
export const isFault = (e) => e instanceof WebAssembly.RuntimeError;

/**
 * After a fault, a fresh engine takes over with the same policy and feeds: a trap can leave the
 * old one half-borrowed, so that it would refuse every later policy change. Its policy comes back
 * from its own snapshot (reading does not need that borrow), else from storage like at start-up.
 */
export function replaceEngine(fault) {
  console.error('the engine faulted; a fresh one takes over', fault);
  stats.faults += 1;
  const old = live;
  let snapshot = null;
  try {
    snapshot = old.policySnapshot();
  } catch {
    // Beyond use: storage has the snapshot the last policy change wrote.
  }
  live = new Engine();
  try {
    if (snapshot) live.restorePolicy(snapshot);
  } catch (e) {
    console.warn('policy snapshot not restored after a fault', e);
  }
  live.setBrowserLanguage(platform.uiLanguage());
  Promise.all([platform.storage.local.get(['policySnapshot', 'managedPolicy', 'userOptions']), copies.load()])
    .then(([saved, kept]) => putBack(saved, kept, { policy: !snapshot }))
    .catch((e) => console.warn('restoring feeds after a fault', e));
  try {
    old.free();
  } catch {
    // A borrow the trap left behind keeps it; it is unreachable all the same.
  }
}

/** Runs `run`; when the engine faults in it, a fresh engine takes over and `fallback` answers. */
export function afterFault(run, fallback) {
  try {
    return run();
  } catch (e) {
    if (!isFault(e)) throw e;
    replaceEngine(e);
    return fallback();
  }
}

/** Runs one verdict call; when the engine faults on `url`, the answer is the engine's warning for
 * a check that failed (from a fresh engine), never a pass. */
export const checked = (check, url) => afterFault(check, () => live.uncheckedVerdict(url));

/** Whether a verdict is the warning for a check that failed: its warning page must not judge the
 * same address again, which would fault again. */
export const failedCheck = (verdict) => verdict?.reasons.some((r) => r.code === 'check_failed') ?? false;

// ---- Start-up.

/**
 * Records the first verdict: when it came, how long the check took (`since` = call start), how
 * long since its handler started (`arrived`), and, for a navigation, since the browser stamped
 * its start (`navigationStart`): the delay the user sees, which scripts/bench-startup.mjs compares
 * with an engine-free peer.
 */
export function noteVerdict(since, arrived, navigationStart) {
  if (stats.firstVerdictMs !== null) return;
  const now = performance.now();
  // The browser stamps a navigation when it starts, before it wakes this worker: from there to
  // the verdict is the delay the user's first navigation sees.
  if (navigationStart) stats.firstFromNavigationMs = performance.timeOrigin + now - navigationStart;
  stats.firstEventMs = arrived - workerStart;
  stats.firstVerdictMs = now - workerStart;
  stats.firstCheckMs = now - since;
  stats.firstWaitMs = now - arrived;
  console.info(
    `Cảnh Giác: first verdict ${stats.firstVerdictMs.toFixed(1)} ms after the worker started; the event waited ${stats.firstWaitMs.toFixed(1)} ms`,
  );
}

/**
 * Compiles the engine while its bytes are still arriving; the bytes come over IPC in chunks, so
 * this hides most of the compile. A browser that will not stream this response (a MIME type
 * other than application/wasm) gets the plain compile of the whole buffer.
 */
async function compileEngine(since) {
  const url = platform.url('engine/canhgiac_bg.wasm');
  const response = fetch(url).then(since('fetchMs'));
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (e) {
      // A TypeError means the response could not be streamed; anything else is a broken module.
      if (!(e instanceof TypeError)) throw e;
    }
  }
  return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
}

/** Addresses like a first navigation's (an ordinary page, an app file), checked by `warmUp`. */
const WARM_UP = ['https://www.example.vn/tin-tuc/bai-viet?id=1', 'https://tai-ve.example.top/ung-dung.apk'];

/**
 * Checks WARM_UP on a throwaway engine. V8 compiles a wasm function on its first call, which made
 * the first real check take ~5 ms; done while start-up waits for storage anyway, the first event
 * finds them compiled. The throwaway engine holds no policy, and nothing of it is kept.
 */
function warmUp(since) {
  const spare = new Engine();
  try {
    for (const url of WARM_UP) spare.checkNavigation(url);
  } catch (e) {
    console.warn('warm-up check', e);
  } finally {
    spare.free();
  }
  since('warmUpMs')();
}

/**
 * Starts the engine and returns the promise every handler awaits (started at once: a service
 * worker may not await at top level). The engine compiles while the stored policy is read, and
 * the first verdict waits for nothing else. Call once, at the worker's top level.
 */
export function setUp() {
  const ready = (async () => {
    const since = (key) => (value) => {
      stats[key] = performance.now() - workerStart;
      return value;
    };
    // Each stage is timed (fetchMs, compileMs, wasmMs) so start-up can be measured in place.
    let stored = false;
    const reads = Promise.all([
      platform.storage.local
        .get(['managedPolicy', 'userOptions', 'policySnapshot', ...lists.START_KEYS, ...copies.LEGACY_KEYS])
        .then(since('storedPolicyMs')),
      copies.load().then(since('storedCopiesMs')),
    ]).finally(() => {
      stored = true;
    });
    const [, [saved, kept]] = await Promise.all([
      compileEngine(since)
        .then(since('compileMs'))
        .then((m) => init({ module_or_path: m }))
        .then(since('wasmMs'))
        // Idle until storage answers: time to have V8 compile what a first check calls.
        .then(() => stored || warmUp(since)),
      reads,
    ]);
    copies.adoptLegacy(kept, saved);
    live = new Engine();
    // The language of messages is the policy's, else this one (the engine decides).
    live.setBrowserLanguage(platform.uiLanguage());
    // The browser hands managed storage over seconds after it starts: obey the last known policy
    // from the first event, then take the fresh one when it arrives.
    const restored = putBack(saved, kept);
    // A fresh install protects with the shipped snapshot from its first verdict, offline.
    if (lists.needsBundled(kept.lists, saved)) await lists.loadBundled(live).catch((e) => console.warn('built-in lists', e));
    stats.policyFrom = restored ? 'snapshot' : 'json';
    stats.readyMs = performance.now() - workerStart;
    // Nothing below is needed for a verdict: a task queued now runs after the events already
    // waiting for `ready` have theirs. The fresh managed policy is read whatever becomes of
    // publishing the stored one.
    setTimeout(() => {
      if (!restored) platform.storage.local.set({ policySnapshot: policySnapshot() }).catch(() => {});
      publishPolicy()
        .catch((e) => console.warn('publishing the stored policy', e))
        .finally(() => refreshManagedPolicy().catch((e) => console.warn('managed policy', e)));
      moveStaticRules().catch((e) => console.warn('static rules', e));
    }, 0);
  })();

  // An engine that cannot start (a damaged install, no memory left) must never look like
  // protection: the toolbar button turns red, and the extension's pages say so instead of
  // answering. The static app-package rules still work without the engine.
  ready.catch((e) => {
    console.error('the engine could not start', e);
    stats.engineError = String(e?.message ?? e);
    platform.badge.alarm('!', platform.t('badgeEngineFailed')).catch(() => {});
  });
  return ready;
}

/** The worker's timings and fault count, as the `stats` message answers them. */
export const statsNow = () => ({ ...stats, sinceStartMs: performance.now() - workerStart });

/** The options page's messages: the policy in force, the built-in lists, the user's options; and
 * the timings any of the extension's pages may read. `allowed(sender, page)` checks a sender. */
export function handlers(allowed) {
  return {
    async policyStatus(message, sender) {
      if (!allowed(sender, 'options.html')) return { error: 'not allowed' };
      const { feedStatus = {}, userOptions = null } = await platform.storage.local.get(['feedStatus', 'userOptions']);
      return { ...currentStatus(), feedStatus, userOptions };
    },
    async builtinLists(message, sender) {
      if (!allowed(sender, 'options.html')) return { error: 'not allowed' };
      return lists.status(effectivePolicy(), currentStatus().managedKeys);
    },
    async refreshBuiltinLists(message, sender) {
      if (!allowed(sender, 'options.html')) return { error: 'not allowed' };
      await lists.refresh(engine, effectivePolicy());
      return lists.status(effectivePolicy(), currentStatus().managedKeys);
    },
    async setUserOptions(message, sender) {
      if (!allowed(sender, 'options.html')) return { error: 'not allowed' };
      const { managedPolicy = null } = await platform.storage.local.get('managedPolicy');
      await applyPolicies(managedPolicy, message.options);
      return currentStatus();
    },
    async stats(message, sender) {
      if (!allowed(sender, '')) return { error: 'not allowed' };
      return statsNow();
    },
  };
}
