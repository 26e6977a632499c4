// The service worker: routes browser events to the engine and acts on its verdicts. It decides
// nothing itself. State that must outlive the worker (pending warnings, bypasses, the last known
// policy, feed copies) lives in extension storage, never only in memory.
import init, { Engine, maxFeedBytes } from './engine/canhgiac.js';
import * as platform from './platform.js';
import * as lists from './lists.js';
import { toBase64, fromBase64 } from './lists.js';
import * as reports from './reports.js';
import { socialHandlers } from './social-worker.js';
import { grantAfterContinue, setUpDownloads } from './downloads.js';
import { leave, leavePlan, released, setUpNavigation, STOP_RULE_BASE, warnedJustNow } from './navigation.js';
import { contactHandlers } from './contacts.js';

const workerStart = performance.now();
// Times in ms from this module's start; scriptStartMs is how long the worker took to reach it.
const stats = {
  scriptStartMs: workerStart,
  wasmMs: null,
  storedPolicyMs: null,
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
let engine = null;
/** The engine's account of the policy in force; made when first asked for (see currentStatus). */
let policyStatus = null;
/** The JSON behind a policy restored from its snapshot, until it is applied for its status. */
let restoredFrom = null;

/** Memory-only helpers for the current worker's life; their durable twins are in storage. */
const boundWarnings = new Map();

const WARNING_PAGE = platform.url('warning.html');
/** Session rule ids: none below STATIC_COPY_BASE (the policy's rules are dynamic ones); copies
 * of the static app-package rules from there (see moveStaticRules); from STOP_RULE_BASE
 * (navigation.js), rules that keep a stopped address stopped in its tab; from BYPASS_RULE_BASE up,
 * rules that let one tab past the warning redirects during a bypass. */
const STATIC_COPY_BASE = 100_000;
const BYPASS_RULE_BASE = 500_000;
const OWN_ORIGIN = platform.origin();

/** Applies the admin's policy and the user's options (admin first, decided by the engine). The
 * status object is not built here: at start-up the first verdict must not wait for it. */
function applyPoliciesNow(admin, user) {
  engine.applyPolicies(admin, user);
  policyInForce(null);
}

/** After the engine's policy changed (the engine follows its language itself): the caches that
 * described the old one. */
function policyInForce(jsonBehindSnapshot) {
  policyStatus = null;
  restoredFrom = jsonBehindSnapshot;
}

/** The snapshot of the policy in force, as storage keeps it. */
const policySnapshot = () => toBase64(engine.policySnapshot());

/**
 * Puts what storage keeps back into the engine: the feed copies and, unless `policy` is false,
 * the policy (its snapshot, else its JSON). Returns whether the policy came from the snapshot.
 */
function putBack(saved, { policy = true } = {}) {
  const copies = Object.values(saved.feedCopies ?? {}).map((c) => fromBase64(c));
  if (copies.length) {
    try {
      engine.setFeeds(copies);
    } catch (e) {
      console.warn('feed copies damaged; feeds will be fetched again', e);
    }
  }
  lists.putBack(engine, saved);
  if (!policy) return false;
  const admin = saved.managedPolicy ?? null;
  const user = saved.userOptions ?? null;
  const restored = restorePolicyNow(saved.policySnapshot, admin, user);
  if (!restored) applyPoliciesNow(admin, user);
  return restored;
}

/** Whether `e` is the engine faulting (a wasm trap, which is what a Rust panic becomes), as
 * opposed to the engine refusing bad input with an error of its own. */
const isFault = (e) => e instanceof WebAssembly.RuntimeError;

/**
 * After a fault, a fresh engine takes over with the same policy and feeds: a trap can leave the
 * old one half-borrowed, so that it would refuse every later policy change. Its policy comes back
 * from its own snapshot (reading does not need that borrow), else from storage like at start-up.
 */
function replaceEngine(fault) {
  console.error('the engine faulted; a fresh one takes over', fault);
  stats.faults += 1;
  const old = engine;
  let snapshot = null;
  try {
    snapshot = old.policySnapshot();
  } catch {
    // Beyond use: storage has the snapshot the last policy change wrote.
  }
  engine = new Engine();
  try {
    if (snapshot) engine.restorePolicy(snapshot);
  } catch (e) {
    console.warn('policy snapshot not restored after a fault', e);
  }
  engine.setBrowserLanguage(platform.uiLanguage());
  platform.storage.local
    .get(['policySnapshot', 'managedPolicy', 'userOptions', 'feedCopies', 'listCopies'])
    .then((saved) => putBack(saved, { policy: !snapshot }))
    .catch((e) => console.warn('restoring feeds after a fault', e));
  try {
    old.free();
  } catch {
    // A borrow the trap left behind keeps it; it is unreachable all the same.
  }
}

/** Runs `run`; when the engine faults in it, a fresh engine takes over and `fallback` answers. */
function afterFault(run, fallback) {
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
const checked = (check, url) => afterFault(check, () => engine.uncheckedVerdict(url));

/** Whether a verdict is the warning for a check that failed: its warning page must not judge the
 * same address again, which would fault again. */
const failedCheck = (verdict) => verdict?.reasons.some((r) => r.code === 'check_failed') ?? false;

/**
 * At start-up, puts back the policy the last worker saved as a snapshot, which is quicker than
 * applying its JSON; the JSON (`admin`, `user`) is applied only when its findings (problems,
 * managed keys) are asked for. Returns false when there is no usable snapshot.
 */
function restorePolicyNow(snapshot, admin, user) {
  if (typeof snapshot !== 'string') return false;
  try {
    engine.restorePolicy(fromBase64(snapshot));
  } catch (e) {
    // Another engine version wrote it, or it is damaged: the JSON is applied instead.
    console.info('policy snapshot not used:', e.message ?? e);
    return false;
  }
  policyInForce([admin, user]);
  return true;
}

/** The effective policy in force; a restored snapshot has it without its JSON. */
function effectivePolicy() {
  policyStatus ??= engine.policyStatus();
  return policyStatus.effective;
}

/** The status of the policy in force: problems found, keys the admin set, the effective policy. */
function currentStatus() {
  if (restoredFrom) applyPoliciesNow(...restoredFrom);
  policyStatus ??= engine.policyStatus();
  return policyStatus;
}

/** What follows a policy change but need not delay a verdict: its rules and its feeds. */
async function publishPolicy() {
  // Dynamic rules outlive a browser restart: the admin's block lists then hold from the first
  // navigation after it, before this worker has started or registered a listener.
  await platform.rules.replaceDynamic(engine.policyRules(WARNING_PAGE)).catch((e) => console.warn('dynamic rules', e));
  await scheduleFeeds().catch((e) => console.warn('feeds alarm', e));
  await lists.schedule(effectivePolicy()).catch((e) => console.warn('built-in lists alarm', e));
}

/** Applies and keeps both policies, with the snapshot the next worker starts from, in one write. */
async function applyPolicies(admin, user) {
  applyPoliciesNow(admin, user);
  await platform.storage.local.set({ managedPolicy: admin, userOptions: user, policySnapshot: policySnapshot() });
  await publishPolicy();
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

// Started at once (a service worker may not await at top level); every handler awaits it. The
// engine compiles while the stored policy is read, and the first verdict waits for nothing else.
const ready = (async () => {
  const since = (key) => (value) => {
    stats[key] = performance.now() - workerStart;
    return value;
  };
  // Each stage is timed (fetchMs, compileMs, wasmMs) so start-up can be measured in place.
  const [, saved] = await Promise.all([
    compileEngine(since)
      .then(since('compileMs'))
      .then((m) => init({ module_or_path: m }))
      .then(since('wasmMs')),
    platform.storage.local.get(['managedPolicy', 'userOptions', 'policySnapshot', 'feedCopies', ...lists.START_KEYS]).then(since('storedPolicyMs')),
  ]);
  engine = new Engine();
  // The language of messages is the policy's, else this one (the engine decides).
  engine.setBrowserLanguage(platform.uiLanguage());
  // The browser hands managed storage over seconds after it starts: obey the last known policy
  // from the first event, then take the fresh one when it arrives.
  const restored = putBack(saved);
  // A fresh install protects with the shipped snapshot from its first verdict, offline.
  if (lists.needsBundled(saved)) await lists.loadBundled(engine).catch((e) => console.warn('built-in lists', e));
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
// protection: the toolbar button turns red, and the extension's pages say so instead of answering.
// The static app-package rules still work without the engine.
ready.catch((e) => {
  console.error('the engine could not start', e);
  stats.engineError = String(e?.message ?? e);
  platform.badge.alarm('!', platform.t('badgeEngineFailed')).catch(() => {});
});

reports.setUp({
  ready,
  engine: () => engine,
  policy: effectivePolicy,
  language: () => engine.language(),
  afterFault,
});
// Reports left waiting by an earlier worker or browser session go out now if their time has come.
reports.onWorkerStart().catch((e) => console.warn('report delivery', e));

/**
 * The static app-package rules are written at build time with the warning page of the ID the
 * manifest key gives. Where the browser gave this copy another ID (a store's own, Firefox's
 * per-install origin), they would send tabs to a page that does not exist: the static ruleset is
 * then switched off and the same rules run as session rules pointing at this copy's page.
 */
async function moveStaticRules() {
  const rules = await (await fetch(platform.url('rules/sideload.json'))).json();
  const target = (r) => r.action.redirect?.regexSubstitution;
  if (rules.every((r) => !target(r) || target(r).startsWith(WARNING_PAGE))) return;
  // Keep what follows the page (`#\0`, the original address); change only the page.
  const suffix = (t) => (t.includes('#') ? t.slice(t.indexOf('#')) : '');
  const moved = rules.map((r) => ({
    ...r,
    id: STATIC_COPY_BASE + r.id,
    action: target(r) ? { ...r.action, redirect: { regexSubstitution: WARNING_PAGE + suffix(target(r)) } } : r.action,
  }));
  await platform.rules.replaceSession((id) => id >= STATIC_COPY_BASE && id < STOP_RULE_BASE, moved);
  await platform.rules.disableStatic(rules.length ? ['sideload'] : []);
}

async function refreshManagedPolicy() {
  const managed = await platform.storage.managed();
  const admin = Object.keys(managed).length ? managed : null;
  const { managedPolicy = null, userOptions = null } = await platform.storage.local.get(['managedPolicy', 'userOptions']);
  if (JSON.stringify(admin) === JSON.stringify(managedPolicy)) return;
  await applyPolicies(admin, userOptions);
}

platform.storage.onChanged(async (changes, area) => {
  if (area !== 'managed') return;
  await ready;
  await refreshManagedPolicy();
});

/**
 * Records the first verdict: when it came, how long the check took (`since` = call start), how
 * long since its handler started (`arrived`), and, for a navigation, since the browser stamped
 * its start (`navigationStart`): the delay the user sees, which scripts/bench-startup.mjs compares
 * with an engine-free peer.
 */
function noteVerdict(since, arrived, navigationStart) {
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

async function bypassed(tabId, scope) {
  if (!scope) return false;
  const key = `bypass:${tabId}:${scope}`;
  const { [key]: until } = await platform.storage.session.get(key);
  return typeof until === 'number' && until > Date.now();
}

/** How many warnings a tab keeps in session storage: enough for Back to find its last few warning
 * pages, and few enough that a page framing the warning page again and again cannot fill the
 * storage (10 MB) every later warning needs. */
const WARNINGS_KEPT_PER_TAB = 5;

/** `value` with every string in it cut to maxKeptChars() (reports.js), so no record takes much of
 * the storage: browsers allow addresses of up to 2 MB. */
function clipped(value) {
  if (typeof value === 'string') return value.slice(0, reports.maxKeptChars());
  if (Array.isArray(value)) return value.map(clipped);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipped(v)]));
  return value;
}

/** Keeps a warning record; the tab's older ones beyond WARNINGS_KEPT_PER_TAB are dropped. */
async function storeWarning(id, record) {
  await platform.storage.session.set({ [`warning:${id}`]: clipped(record) });
  dropWarnings(record.tabId, WARNINGS_KEPT_PER_TAB).catch((e) => console.warn('old warnings', e));
}

/** Drops the warning records of `tabId` but its newest `keep`. */
async function dropWarnings(tabId, keep = 0) {
  const all = await platform.storage.session.get(null);
  const old = Object.entries(all)
    .filter(([k, v]) => k.startsWith('warning:') && v?.tabId === tabId)
    .sort(([, a], [, b]) => b.created - a.created)
    .slice(keep)
    .map(([k]) => k);
  if (old.length) await platform.storage.session.remove(old);
}

/** Stores what a warning is about, then shows the warning page in `tabId` (or a new tab). A new
 * warning comes with the `verdict` behind it; one shown again already carries what it needs. */
async function showWarning(record, tabId, verdict = null) {
  if (verdict) record = { ...record, checkFailed: failedCheck(verdict) };
  const id = crypto.randomUUID();
  let pageUrl = `${WARNING_PAGE}?id=${id}`;
  let bound = tabId;
  const binding = (async () => {
    if (bound === undefined || bound < 0) bound = (await platform.tabs.create({ url: 'about:blank' })).id;
    try {
      await storeWarning(id, { ...record, tabId: bound, created: Date.now() });
    } catch (e) {
      // Storage refused (full): the tab is warned all the same, from its address alone.
      console.warn('warning record not stored', e);
      pageUrl = `${WARNING_PAGE}#${record.url}`;
    }
    return bound;
  })();
  boundWarnings.set(id, binding);
  await platform.tabs.update(await binding, { url: pageUrl });
}

setUpNavigation({
  ready,
  engine: () => engine,
  failed: () => stats.engineError !== null,
  checked,
  bypassed,
  noteVerdict,
  showWarning,
  warningPage: WARNING_PAGE,
  ownOrigin: OWN_ORIGIN,
});

/** Lets `tabId` load `scope` past the warning redirects (static and policy) until `until`. */
async function allowInTab(tabId, scope, until) {
  const existing = await platform.rules.session();
  const id = Math.max(BYPASS_RULE_BASE, ...existing.map((r) => r.id + 1));
  const rule = {
    id,
    priority: 2,
    action: { type: 'allow' },
    condition: { tabIds: [tabId], requestDomains: [scope], resourceTypes: ['main_frame', 'sub_frame'] },
  };
  await platform.rules.updateSession([rule]);
  await platform.storage.session.set({ [`bypassRule:${id}`]: { tabId, until } });
  platform.alarms.create(`bypass-expiry:${id}`, { when: until });
}

/** Removes bypass rules that have expired, or belong to `closedTab`. */
async function dropBypassRules(closedTab) {
  const all = await platform.storage.session.get(null);
  const gone = Object.entries(all)
    .filter(([k, v]) => k.startsWith('bypassRule:') && (v.tabId === closedTab || v.until <= Date.now()))
    .map(([k]) => k);
  if (!gone.length) return;
  await platform.rules.updateSession([], gone.map((k) => Number(k.slice('bypassRule:'.length))));
  await platform.storage.session.remove(gone);
}

platform.tabs.onRemoved(async (tabId) => {
  await platform.storage.session.remove(`tab:${tabId}`);
  await dropWarnings(tabId);
  await dropBypassRules(tabId);
});

// ---- Downloads (downloads.js): a sideload is held until a verdict lets it through.

setUpDownloads({ ready, engine: () => engine, checked, noteVerdict, showWarning, afterFault });

// ---- Feeds: the only requests the extension makes on its own, and only when an admin sets them.

const FEED_TIMEOUT_MS = 30_000;

/**
 * Keeps the feeds' alarm. A feed never tried yet, or a new refresh period, brings a fetch within
 * seconds; otherwise the alarm already set stands. A worker that merely restarted (every ~30 s
 * idle) fetches nothing: the feed's server must not learn when the user is browsing.
 */
async function scheduleFeeds() {
  const { feedRefreshMinutes, blocklistFeeds } = effectivePolicy();
  if (!blocklistFeeds.length) return platform.alarms.clear('feeds');
  const [alarm, { feedStatus = {} }] = await Promise.all([platform.alarms.get('feeds'), platform.storage.local.get('feedStatus')]);
  const untried = blocklistFeeds.some((f) => !feedStatus[f.url]);
  if (alarm?.periodInMinutes === feedRefreshMinutes && !untried) return;
  platform.alarms.create('feeds', { delayInMinutes: 0.05, periodInMinutes: feedRefreshMinutes });
}

/** One feed through the same download path as the built-in lists (lists.fetchList). */
async function fetchFeed(feed, previous) {
  const got = await lists.fetchList(feed.url, previous, { maxBytes: maxFeedBytes(), timeoutMs: FEED_TIMEOUT_MS });
  if (got.unchanged) return got;
  const { copy, stats: parsed } = await lists.parseList(got.body, feed.format, feed.sha256 ?? null, previous?.entries ?? null);
  return { copy, parsed, etag: got.etag, lastModified: got.lastModified };
}

async function refreshFeeds() {
  await ready;
  const feeds = effectivePolicy().blocklistFeeds;
  const { feedCopies = {}, feedStatus = {} } = await platform.storage.local.get(['feedCopies', 'feedStatus']);
  for (const feed of feeds) {
    const status = feedStatus[feed.url] ?? {};
    try {
      const got = await fetchFeed(feed, status);
      status.lastSuccess = new Date().toISOString();
      status.lastError = null;
      if (!got.unchanged) {
        feedCopies[feed.url] = toBase64(got.copy);
        Object.assign(status, { entries: got.parsed.entries, badLines: got.parsed.badLines, etag: got.etag, lastModified: got.lastModified });
      }
    } catch (e) {
      // The last good copy stays in force.
      status.lastError = `${new Date().toISOString()} ${e.message ?? e}`;
    }
    feedStatus[feed.url] = status;
  }
  for (const url of Object.keys(feedCopies)) if (!feeds.some((f) => f.url === url)) delete feedCopies[url];
  await platform.storage.local.set({ feedCopies, feedStatus });
  engine.setFeeds(Object.values(feedCopies).map(fromBase64));
}

platform.alarms.onAlarm((alarm) => {
  if (alarm.name === 'feeds') refreshFeeds();
  if (lists.isListAlarm(alarm)) ready.then(() => lists.refresh(() => engine, effectivePolicy())).catch((e) => console.warn('built-in lists', e));
  if (alarm.name === 'reports') reports.onAlarm().catch((e) => console.warn('report delivery', e));
  if (alarm.name.startsWith('bypass-expiry:')) dropBypassRules();
});

// ---- "Report this link" on the context menu of any link.

platform.runtime.onInstalled(() => {
  platform.menus.create({ id: 'report-link', title: platform.t('menuReportLink'), contexts: ['link'] });
  // An update within a browser session may find the policy rules an earlier version kept as
  // session rules (ids below STATIC_COPY_BASE); they are dynamic rules now.
  platform.rules.replaceSession((id) => id < STATIC_COPY_BASE, []).catch((e) => console.warn('session rules', e));
});
platform.menus.onClicked((info, tab) => {
  if (info.menuItemId !== 'report-link' || !info.linkUrl) return;
  ready.then(() => reports.startReport({ linkUrl: info.linkUrl, tab })).catch((e) => console.warn('report', e));
});

// ---- The one message router. Only the extension's own pages may talk to it.

function fromOwnPage(sender, page) {
  return sender.id === platform.runtime.id() && typeof sender.url === 'string' && sender.url.startsWith(platform.url(page));
}

async function warningRecord(message, sender) {
  const tabId = sender.tab?.id;
  if (message.id) {
    await boundWarnings.get(message.id);
    const key = `warning:${message.id}`;
    const { [key]: record } = await platform.storage.session.get(key);
    // A record is shown only in the tab it was made for: another page cannot borrow it.
    if (!record || record.tabId !== tabId) return null;
    return { id: message.id, record };
  }
  if (typeof message.url === 'string' && tabId !== undefined) {
    // Reached through a declarativeNetRequest redirect, or from any page that links to or frames
    // the warning page: only an address the engine warns about gets a record.
    const verdict = checked(() => engine.checkUrl(message.url), message.url);
    if (!verdict.warns) return null;
    const id = crypto.randomUUID();
    const record = { kind: 'navigation', url: message.url, frame: 0, tabId, created: Date.now() };
    try {
      await storeWarning(id, record);
    } catch (e) {
      // Storage refused (full): the warning is still shown, with nothing to continue or report from.
      console.warn('warning record not stored', e);
      return { id: null, record, verdict };
    }
    return { id, record, verdict };
  }
  return null;
}

/** The engine's verdict on what a warning is about, judged afresh. */
function judge(record) {
  if (record.checkFailed) return engine.uncheckedVerdict(record.url);
  return checked(() => {
    if (record.kind === 'download') return engine.checkDownload(record.download);
    // A link from a chat is judged with the text it showed.
    if (record.kind === 'link') return engine.checkLink(record.url, record.linkText || null);
    return engine.checkUrl(record.url);
  }, record.url);
}

const handlers = {
  async warning(message, sender) {
    if (!fromOwnPage(sender, 'warning.html')) return { error: 'not allowed' };
    // A request held while the engine started (navigation.js): on to it, unless it is warned.
    const go = message.hold ? await released(message.url, sender.tab?.id) : null;
    if (go) return { go };
    const found = await warningRecord(message, sender);
    if (!found) return { error: 'unknown warning' };
    if (sender.frameId !== 0) {
      // Shown inside a frame (a redirected subframe, or a page framing it): the whole tab goes
      // to the warning instead, where no page can overlay or click it.
      if (!warnedJustNow(found.record.tabId, found.record.url)) await showWarning(found.record, found.record.tabId);
      return { error: 'framed' };
    }
    // A record just made from an address comes with its verdict; a stored one is judged afresh.
    const verdict = found.verdict ?? judge(found.record);
    // The page only shows what the engine stands behind now: a link to the warning page with a
    // harmless address in it shows no warning.
    if (!verdict.warns) return { error: 'no warning' };
    return {
      id: found.id,
      kind: found.record.kind,
      url: found.record.url,
      download: found.record.download ?? null,
      verdict,
      contact: effectivePolicy().reportContact ?? null,
      police: effectivePolicy().policeContact ?? null,
      lang: engine.language(),
      // What "go back to safety" will do, so the page can say it before it is pressed.
      leave: await leavePlan(found.record.tabId, message.historyLength),
    };
  },
  async leave(message, sender) {
    // The warning page shown as its tab's own page, leaving that tab: back past every stopped
    // entry (the page goes back itself), else the tab is closed or shows a new-tab page.
    if (!fromOwnPage(sender, 'warning.html') || sender.frameId !== 0 || sender.tab?.id === undefined) return { error: 'not allowed' };
    const plan = await leavePlan(sender.tab.id, message.historyLength);
    if (plan.action !== 'back') await leave(sender.tab.id, plan);
    return plan;
  },
  async continue(message, sender) {
    // Only the warning page itself, shown as the tab's own page (never framed), may ask.
    if (!fromOwnPage(sender, 'warning.html') || sender.frameId !== 0) return { error: 'not allowed' };
    const key = `warning:${message.id}`;
    const { [key]: record } = await platform.storage.session.get(key);
    if (!record || record.tabId !== sender.tab?.id) return { error: 'unknown warning' };
    const verdict = judge(record);
    if (!(verdict.bypassMinutes > 0)) return { error: 'not allowed by policy' };
    await platform.storage.session.remove(key);
    // A download's continue fetches the file again, and only that file may come through; a page's
    // continue covers that page in that tab, never an app or a program it leads to.
    if (await grantAfterContinue(record, verdict)) return { ok: true, kind: 'download' };
    const until = Date.now() + verdict.bypassMinutes * 60_000;
    await platform.storage.session.set({ [`bypass:${record.tabId}:${verdict.bypassScope}`]: until });
    await allowInTab(record.tabId, verdict.bypassScope, until);
    await platform.tabs.update(record.tabId, { url: record.topUrl ?? record.url });
    return { ok: true, kind: 'navigation' };
  },
  async tabVerdict(message, sender) {
    if (!fromOwnPage(sender, 'popup.html')) return { error: 'not allowed' };
    const key = `tab:${message.tabId}`;
    const { [key]: url } = await platform.storage.session.get(key);
    return url ? { url, verdict: checked(() => engine.checkUrl(url), url) } : { url: null, verdict: null };
  },
  async policyStatus(message, sender) {
    if (!fromOwnPage(sender, 'options.html')) return { error: 'not allowed' };
    const { feedStatus = {}, userOptions = null } = await platform.storage.local.get(['feedStatus', 'userOptions']);
    return { ...currentStatus(), feedStatus, userOptions };
  },
  async builtinLists(message, sender) {
    if (!fromOwnPage(sender, 'options.html')) return { error: 'not allowed' };
    return lists.status(effectivePolicy(), currentStatus().managedKeys);
  },
  async refreshBuiltinLists(message, sender) {
    if (!fromOwnPage(sender, 'options.html')) return { error: 'not allowed' };
    await lists.refresh(() => engine, effectivePolicy());
    return lists.status(effectivePolicy(), currentStatus().managedKeys);
  },
  async setUserOptions(message, sender) {
    if (!fromOwnPage(sender, 'options.html')) return { error: 'not allowed' };
    const { managedPolicy = null } = await platform.storage.local.get('managedPolicy');
    await applyPolicies(managedPolicy, message.options);
    return currentStatus();
  },
  async reportWarning(message, sender) {
    // Only the warning page, about the warning shown in its own tab.
    if (!fromOwnPage(sender, 'warning.html')) return { error: 'not allowed' };
    const found = await warningRecord(message, sender);
    if (!found) return { error: 'unknown warning' };
    // A report of a false warning opens with that kind chosen (see extension/false-warning.js).
    return reports.startReport({ warning: found.record, kind: message.kind === 'false_warning' ? 'false_warning' : null });
  },
  ...reports.handlers(fromOwnPage),
  ...contactHandlers({ policy: effectivePolicy, language: () => engine.language(), allowed: fromOwnPage }),
  ...socialHandlers({ engine: () => engine, platform, showWarning, checked, afterFault }),
  async stats(message, sender) {
    if (!fromOwnPage(sender, '')) return { error: 'not allowed' };
    return { ...stats, sinceStartMs: performance.now() - workerStart };
  },
};

platform.messages.onMessage(async (message, sender) => {
  const handler = handlers[message?.type];
  if (!handler) return { error: `unknown message ${message?.type}` };
  try {
    await ready;
  } catch {
    return message.type === 'stats' ? handlers.stats(message, sender) : { error: 'the engine could not start', engineError: stats.engineError };
  }
  try {
    return await handler(message, sender);
  } catch (e) {
    // A fault in any engine call (a page's links, a report) leaves a fresh engine behind.
    if (isFault(e)) replaceEngine(e);
    throw e;
  }
});
