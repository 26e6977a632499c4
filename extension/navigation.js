// The warning path for navigations: how a page the engine warns about is stopped, how it stays
// stopped when the user goes back, and how "go back to safety" leaves it. Every verdict is the
// engine's; this module only decides which browser mechanism carries it out, earliest first:
//  1. a blocking webRequest listener, where the browser allows one (Chromium for an extension
//     installed by policy, Firefox always): the request is never sent;
//  2. per-tab stop rules (declarativeNetRequest session rules) for every address already stopped
//     in a tab: Back, Forward and reloads are redirected to the warning by the browser itself;
//  3. webNavigation, which cannot hold a request: the tab (or the frame) is sent to the warning
//     as soon as the verdict is known. docs/warning-path.md says how often a page's script runs
//     first on this path.
import { layout } from './browser-rules.js';
import { stopRule } from './engine/canhgiac.js';
import * as platform from './platform.js';

/** Stop rules kept per tab: enough for a chain of scam pages, few enough that one page opening
 * addresses in a loop cannot use up the browser's 5 000 session rules for every other tab. */
const STOP_RULES_PER_TAB = 20;
/** Longest address a stop rule is written for; the rule's redirect carries it, and a longer one
 * is still stopped by the webNavigation path. */
const MAX_STOP_URL = 4096;
/** How long a warning on its way to a tab (sent, not yet shown) silences repeats of the same
 * address: one navigation is reported several times (onBeforeNavigate, onCommitted, the frame's
 * warning page). The warning page's commit ends it at once; this bounds a warning never shown. */
const PENDING_MS = 10_000;
/** A page that leads to a stopped address within this time of loading, with no click between, is
 * taken for a redirect (script or meta refresh) and is skipped by "go back to safety" too. A
 * person takes longer than this to read a page and press a link on it. */
const CLIENT_REDIRECT_MS = 1_000;
/** Top-level history entries remembered per tab for "go back to safety". */
const TRAIL_KEPT = 30;
/** Characters of an address a trail entry keeps: enough to tell entries apart, and small enough
 * that a tab sent through 1 MB addresses cannot fill the session storage warnings need. */
const TRAIL_URL_CHARS = 2048;

let d = null;
/** tabId → {url, at}: a warning sent to the tab and not yet shown there. */
const pending = new Map();
/** `bypass:<tab>:<scope>` → until: the bypasses in force, kept here for the blocking listener,
 * which must answer without waiting for storage. */
const bypasses = new Map();
/** Whether the browser called the blocking listener with the engine ready in this worker's life:
 * it then stops navigations before they start, and onBeforeNavigate need not. */
let blockingWorks = false;
/** Serialises the read-modify-write of rules and trails. */
let chain = Promise.resolve();
const serial = (fn) => (chain = chain.then(fn, fn));

/** Request addresses carry no fragment; a stop rule matches what the browser requests. */
const withoutFragment = (url) => url.split('#')[0];

const isPending = (tabId, url) => {
  const p = pending.get(tabId);
  return Boolean(p && p.url === url && Date.now() - p.at < PENDING_MS);
};

/** Whether a warning for `url` is already on its way to `tabId`; if not, notes that one is now. */
export function warnedJustNow(tabId, url) {
  if (isPending(tabId, url)) return true;
  pending.set(tabId, { url, at: Date.now() });
  return false;
}

// ---- Stop rules: a stopped address stays stopped in its tab, whoever navigates there.

/** Adds a stop rule for `url` in `tabId` (once); the tab's oldest beyond STOP_RULES_PER_TAB go. */
function addStopRule(tabId, url) {
  if (url.length > MAX_STOP_URL || tabId < 0) return Promise.resolve();
  return serial(async () => {
    const all = await platform.storage.session.get(null);
    const mine = Object.entries(all).filter(([k, v]) => k.startsWith('stopRule:') && v.tabId === tabId);
    if (mine.some(([, v]) => v.url === withoutFragment(url))) return;
    const used = new Set((await platform.rules.session()).map((r) => r.id));
    // The ids and the rule come from the engine (src/dnr.rs), which ranks it below a bypass.
    const { stopBase, stopEnd } = layout();
    let id = stopBase;
    while (used.has(id) && id < stopEnd) id += 1;
    if (id >= stopEnd) return;
    const old = mine.sort(([, a], [, b]) => b.at - a.at).slice(STOP_RULES_PER_TAB - 1).map(([k]) => k);
    try {
      await platform.rules.updateSession([stopRule(id, tabId, url, d.warningPage)], old.map((k) => Number(k.slice('stopRule:'.length))));
    } catch (e) {
      // An address the rule syntax cannot hold: the webNavigation path still stops it.
      console.warn('stop rule not added', e);
      return;
    }
    const set = await stoppedSet();
    old.forEach((k) => set.delete(stopKey(all[k].tabId, all[k].url)));
    set.add(stopKey(tabId, url));
    await platform.storage.session.remove(old);
    await platform.storage.session.set({ [`stopRule:${id}`]: { tabId, url: withoutFragment(url), at: Date.now() } });
  });
}

/** `<tab> <address>` of every stop rule, read from storage once per worker and kept in step, so
 * that the check before a warning does not wait for storage. */
let stopped = null;
const stopKey = (tabId, url) => `${tabId} ${withoutFragment(url)}`;
function stoppedSet() {
  stopped ??= platform.storage.session
    .get(null)
    .then((all) => new Set(Object.entries(all).filter(([k]) => k.startsWith('stopRule:')).map(([, v]) => stopKey(v.tabId, v.url))))
    .catch(() => new Set());
  return stopped;
}

async function hasStopRule(tabId, url) {
  return (await stoppedSet()).has(stopKey(tabId, url));
}

/** Drops the stop rules of a closed tab. */
function dropStopRules(tabId) {
  return serial(async () => {
    const all = await platform.storage.session.get(null);
    const gone = Object.entries(all).filter(([k, v]) => k.startsWith('stopRule:') && v.tabId === tabId).map(([k]) => k);
    if (!gone.length) return;
    const set = await stoppedSet();
    gone.forEach((k) => set.delete(stopKey(all[k].tabId, all[k].url)));
    await platform.rules.updateSession([], gone.map((k) => Number(k.slice('stopRule:'.length))));
    await platform.storage.session.remove(gone);
  });
}

// ---- The trail: what a tab's history holds, for "go back to safety". Stored as `backTrail:<tab>`;
// downloads.js keeps its own `trail:<tab>` (the pages a download may have come from, newest first).

/**
 * Follows a top-level commit. Entries are `{url, unsafe, at}`; `index` is the current one. A
 * commit through Back or Forward moves to the nearest entry with its address; any other adds one
 * (a page that replaced itself adds one too: "go back" then goes a step further than needed,
 * never into a stopped page, since every entry it skips is judged when loaded).
 */
function followCommit(details, unsafe) {
  const key = `backTrail:${details.tabId}`;
  return serial(async () => {
    const { [key]: trail = { entries: [], index: -1 } } = await platform.storage.session.get(key);
    const qualifiers = details.transitionQualifiers ?? [];
    // The browser's own time of the commit: a restarted worker gets its events late, together.
    const url = details.url.slice(0, TRAIL_URL_CHARS);
    const entry = { url, unsafe, at: details.timeStamp ?? Date.now() };
    if (qualifiers.includes('forward_back')) {
      let best = -1;
      trail.entries.forEach((e, i) => {
        if (e.url === url && (best < 0 || Math.abs(i - trail.index) < Math.abs(best - trail.index))) best = i;
      });
      if (best >= 0) {
        trail.index = best;
        trail.entries[best].unsafe ||= unsafe;
        await platform.storage.session.set({ [key]: trail });
        return;
      }
    }
    const current = trail.entries[trail.index];
    const scripted = qualifiers.includes('client_redirect') && current;
    // A stopped page reached by a page's script, not by a person: that page leads to it again.
    if (unsafe && scripted) current.unsafe = true;
    // Chromium turns a script's navigation made while its page is still loading into a
    // replacement of that page's entry: the redirect then has no entry of its own.
    const replaces = scripted && entry.at - current.at < CLIENT_REDIRECT_MS;
    trail.entries = trail.entries.slice(0, trail.index + (replaces ? 0 : 1));
    trail.entries.push(entry);
    if (trail.entries.length > TRAIL_KEPT) trail.entries = trail.entries.slice(-TRAIL_KEPT);
    trail.index = trail.entries.length - 1;
    await platform.storage.session.set({ [key]: trail });
  });
}

/** A stopped address is on its way in `tabId` (the browser stamped it `at`): the page it leaves,
 * if it loaded only just before, is taken for the redirect that led there. */
function markRedirector(tabId, at) {
  const key = `backTrail:${tabId}`;
  return serial(async () => {
    const { [key]: trail } = await platform.storage.session.get(key);
    const current = trail?.entries[trail.index];
    if (!current || current.unsafe || (at ?? Date.now()) - current.at > CLIENT_REDIRECT_MS) return;
    current.unsafe = true;
    await platform.storage.session.set({ [key]: trail });
  });
}

/**
 * What "go back to safety" does in `tabId`, whose warning page reports `historyLength` entries:
 * `{action: 'back', steps}` to the nearest entry not stopped, else `'close'` (other tabs stay in
 * the window) or `'newtab'` (the window's last tab: closing it would close the window).
 */
export async function leavePlan(tabId, historyLength) {
  await chain;
  const key = `backTrail:${tabId}`;
  const { [key]: trail } = await platform.storage.session.get(key);
  if (trail && trail.index >= 0) {
    let i = trail.index;
    // A blank page (the start of a new tab) is nothing to go back to either.
    const skipped = (e) => e.unsafe || e.url.startsWith(d.ownOrigin) || e.url === 'about:blank';
    while (i >= 0 && skipped(trail.entries[i])) i -= 1;
    if (i >= 0) return { action: 'back', steps: trail.index - i };
    // Entries older than the trail remembers (the extension came later): judged when reached.
    const known = trail.index + 1;
    if (Number.isInteger(historyLength) && historyLength > known) return { action: 'back', steps: known };
  } else if (Number.isInteger(historyLength) && historyLength > 1) {
    return { action: 'back', steps: 1 };
  }
  const others = await platform.tabs.inWindowOf(tabId);
  return { action: others > 1 ? 'close' : 'newtab', steps: 0 };
}

/** Carries out a plan the warning page cannot: closing its tab, or a new-tab page in it. */
export async function leave(tabId, plan) {
  if (plan.action === 'close') await platform.tabs.remove(tabId);
  else if (plan.action === 'newtab') await platform.tabs.update(tabId, { url: platform.newTabUrl() });
}

// ---- Stopping.

/** A stopped frame is stopped in the frame itself: the page around it cannot cancel that, as it
 * can cancel the tab's own navigation with a beforeunload prompt. */
async function stopFrame(tabId, frameId, url) {
  await platform.scripting
    .inFrame(tabId, frameId, (target) => {
      // Runs in the frame, in the extension's isolated world: nothing of the page's runs after this.
      window.stop();
      document.documentElement?.replaceChildren();
      location.replace(target);
    }, [`${d.warningPage}#${url}`])
    .catch((e) => console.warn('frame not stopped in place', e));
}

/** The address of the page `tabId` shows (kept as its navigations are judged), or null. */
export async function topUrlOf(tabId) {
  const key = `tab:${tabId}`;
  return (await platform.storage.session.get(key))[key] ?? null;
}

/** Stops `url` in a tab or frame with the engine's `verdict`: its stop rule first, so that a
 * reload or a Back cannot reach it, then the warning page. */
async function stop(details, verdict) {
  const { tabId, frameId, url } = details;
  addStopRule(tabId, url).catch((e) => console.warn('stop rule', e));
  if (frameId === 0) markRedirector(tabId, details.timeStamp).catch(() => {});
  const topUrl = frameId === 0 ? null : await topUrlOf(tabId);
  if (frameId !== 0) await stopFrame(tabId, frameId, url);
  // A dangerous subframe also takes the whole tab to the warning, where no page can overlay it;
  // "continue" then reopens the page that held the frame.
  await d.showWarning({ kind: 'navigation', url, frame: frameId, topUrl, redirectChain: details.redirectChain ?? [] }, tabId, verdict);
}

/** The tab's button: a check mark on an official store's page, nothing elsewhere. */
function showBadge(tabId, verdict) {
  const official = verdict.verdict === 'official';
  platform.badge.set(tabId, official ? '✓' : '', official ? platform.t('badgeOfficial') : '').catch(() => {});
}

/** The engine's verdict on a navigation, and the popup's view of the tab; null for our own pages. */
async function judgeNavigation(details, phase) {
  if (details.url.startsWith(d.ownOrigin) || details.tabId < 0) return;
  const arrived = performance.now();
  await d.ready;
  const since = performance.now();
  // The hot path: a harmless navigation crosses back as a small shared {verdict, category}.
  const verdict = d.checked(() => d.engine().checkNavigation(details.url), details.url);
  d.noteVerdict(since, arrived, details.timeStamp);
  if (details.frameId === 0) {
    // The popup's view of the tab, and the badge; neither holds up a warning.
    platform.storage.session.set({ [`tab:${details.tabId}`]: details.url }).catch(() => {});
    showBadge(details.tabId, verdict);
  }
  const warn = verdict.warns && !(verdict.bypassMinutes > 0 && (await d.bypassed(details.tabId, verdict.bypassScope)));
  // The trail's writes are queued in order; the warning does not wait for them.
  if (phase === 'commit' && details.frameId === 0) followCommit(details, warn).catch((e) => console.warn('trail', e));
  if (!warn) return;
  if (phase === 'before') {
    // Where the browser lets the blocking listener stop requests, it has stopped this one.
    if (blockingWorks) return;
    // A stop rule redirects this request before it is sent; a page Back restores from the
    // back/forward cache sends none, and is caught when it commits.
    if (await hasStopRule(details.tabId, details.url)) return;
  }
  if (warnedJustNow(details.tabId, details.url)) {
    // The frame's own document arrived after all: it is stopped where it is, whatever the tab does.
    if (details.frameId !== 0 && phase === 'commit') await stopFrame(details.tabId, details.frameId, details.url);
    return;
  }
  await stop(details, verdict);
}

/**
 * The blocking listener: where the browser calls it, the engine's verdict stops a page or frame
 * before its request is sent. Chromium takes only an answer given at once: with the engine not
 * loaded yet (a restarted worker), a GET is held on the warning page until the engine answers.
 * Firefox waits for a promise, so there the request itself waits for the engine.
 */
function beforeRequest(details) {
  if (details.tabId < 0 || details.url.startsWith(d.ownOrigin)) return undefined;
  const decide = () => {
    blockingWorks = true;
    const verdict = d.checked(() => d.engine().checkNavigation(details.url), details.url);
    if (!verdict.warns) return undefined;
    const until = bypasses.get(`bypass:${details.tabId}:${verdict.bypassScope}`);
    if (verdict.bypassMinutes > 0 && typeof until === 'number' && until > Date.now()) return undefined;
    addStopRule(details.tabId, details.url).catch((e) => console.warn('stop rule', e));
    if (details.type === 'main_frame') {
      warnedJustNow(details.tabId, details.url);
      markRedirector(details.tabId, details.timeStamp).catch(() => {});
    }
    // A frame's warning page sends the whole tab to the warning as well (warnings.js).
    // The warning page asks the worker about this address, which the engine judges again.
    return { redirectUrl: `${d.warningPage}#${details.url}` };
  };
  // Called at all, the listener is in force: the browser lets it stop requests.
  blockingWorks = true;
  if (d.engine()) return decide();
  if (d.failed()) return undefined;
  if (platform.webRequest.waitsForPromise) return d.ready.then(decide);
  // Chromium will not wait while a restarted worker loads the engine: the request is held on the
  // warning page instead, which asks the worker and goes on to the address if the engine lets it
  // (see released). A form's POST would lose its data on the way, so it is let through.
  if (details.method !== 'GET') return undefined;
  return { redirectUrl: `${d.warningPage}?hold=1#${details.url}` };
}

/**
 * The answer to a request held while the engine started: the address to go on to, when the
 * engine does not warn about it (or the tab has a bypass for it); null when it is to be warned.
 * Only web addresses are let through.
 */
export async function released(url, tabId) {
  if (typeof url !== 'string' || !/^https?:/i.test(url)) return null;
  const verdict = d.checked(() => d.engine().checkUrl(url), url);
  if (!verdict.warns) return url;
  return verdict.bypassMinutes > 0 && (await d.bypassed(tabId, verdict.bypassScope)) ? url : null;
}

/**
 * Registers the listeners (at the worker's top level, so that their events wake it). `deps`:
 * ready, engine(), failed() (the engine could not start), checked, bypassed, noteVerdict,
 * showWarning, warningPage, ownOrigin.
 */
export function setUpNavigation(deps) {
  d = deps;
  const starts = new Map();
  platform.navigation.onBeforeNavigate((details) => {
    if (details.frameId === 0) starts.set(details.tabId, details.url);
    return judgeNavigation(details, 'before');
  });
  // Redirects end in a committed URL that onBeforeNavigate never saw; SPA routes change without one.
  platform.navigation.onCommitted((details) => {
    if (details.frameId === 0 && details.url.startsWith(d.warningPage)) {
      // The warning is shown: a later visit to the same address is a new one, warned again.
      pending.delete(details.tabId);
      followCommit(details, true).catch((e) => console.warn('trail', e));
      return undefined;
    }
    const start = details.frameId === 0 ? starts.get(details.tabId) : undefined;
    const redirectChain = start && start !== details.url ? [start] : [];
    return judgeNavigation({ ...details, redirectChain }, 'commit');
  });
  platform.navigation.onHistoryStateUpdated((details) => judgeNavigation(details, 'history'));
  // A navigation clears what the tab's button showed, and Firefox may do so after the commit's
  // verdict set it: the finished page gets its badge again.
  platform.navigation.onCompleted((details) => {
    if (details.frameId !== 0 || details.tabId < 0 || details.url.startsWith(d.ownOrigin)) return;
    d.ready
      .then(() => showBadge(details.tabId, d.checked(() => d.engine().checkNavigation(details.url), details.url)))
      .catch(() => {});
  });
  platform.tabs.onRemoved((tabId) => {
    starts.delete(tabId);
    pending.delete(tabId);
    platform.storage.session.remove(`backTrail:${tabId}`).catch(() => {});
    dropStopRules(tabId).catch((e) => console.warn('stop rules', e));
  });
  platform.webRequest.onBeforeRequestBlocking(beforeRequest, ['main_frame', 'sub_frame']);
  platform.storage.session
    .get(null)
    .then((all) => Object.entries(all).forEach(([k, v]) => k.startsWith('bypass:') && bypasses.set(k, v)))
    .catch(() => {});
  platform.storage.onChanged((changes, area) => {
    if (area !== 'session') return;
    for (const [k, c] of Object.entries(changes)) {
      if (!k.startsWith('bypass:')) continue;
      if (c.newValue === undefined) bypasses.delete(k);
      else bypasses.set(k, c.newValue);
    }
  });
}
