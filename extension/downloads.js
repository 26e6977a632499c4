// Downloads: a sideload is held before it lands; ordinary files go on at once. The engine judges
// each download from facts this module gathers (where the file came from, the tab's earlier
// pages, the page that opened the tab); the hold outlives this worker, because a paused download
// stays paused when the worker is stopped, and the next worker looks at every download still
// running before anything else. See docs/warning-path-downloads.md.
import { holdFirefoxDownloads } from './firefox-downloads.js';
import * as platform from './platform.js';

/** How long "continue anyway" keeps the named file's grant: long enough to fetch it again. */
const GRANT_MS = 60_000;
/** Pages kept per tab for a download's trail: the engine reads no more (download::MAX_TRAIL). */
const TRAIL_KEPT = 8;
/** A download paused by a worker that was stopped before deciding is looked at again when the
 * next worker starts; an alarm makes sure one starts (Chromium's shortest alarm is 30 s). */
const RECHECK_MINUTES = 0.5;
const RECHECK_ALARM = 'downloads-recheck';

let deps = null;
/** Downloads this worker is deciding now: the start-up sweep leaves them to their handler. */
const deciding = new Set();
/** Downloads this worker has decided: a later change to one (its name, its end) is not news. */
const decided = new Set();

const own = (url) => url.startsWith(platform.origin());

// ---- Each tab's trail: its last pages, newest first, and then those of the tab that opened it.

let trailWrites = Promise.resolve();

/** Changes the trail of `tabId` with `change(old) → new`, one change at a time. */
function changeTrail(tabId, change) {
  const key = `trail:${tabId}`;
  trailWrites = trailWrites
    .then(async () => {
      const { [key]: old = [] } = await platform.storage.session.get(key);
      await platform.storage.session.set({ [key]: change(old).slice(0, TRAIL_KEPT) });
    })
    .catch((e) => console.warn('tab trail', e));
  return trailWrites;
}

function notePage(details) {
  if (details.frameId !== 0 || details.tabId < 0 || own(details.url)) return;
  changeTrail(details.tabId, (old) => (old[0] === details.url ? old : [details.url, ...old]));
}

async function noteOpener(details) {
  const { [`trail:${details.sourceTabId}`]: opener = [] } = await platform.storage.session.get(`trail:${details.sourceTabId}`);
  // The new tab's own pages first; the opener's after them.
  await changeTrail(details.tabId, (old) => [...old.filter((u) => !opener.includes(u)), ...opener]);
}

/**
 * The tab a download came from and the pages before it: the tab that navigated to the file's
 * address, else the active tab (a `download` link starts no navigation).
 */
async function trailOf(item) {
  await trailWrites;
  const all = await platform.storage.session.get(null);
  const urls = [item.url, item.finalUrl].filter(Boolean);
  for (const [key, trail] of Object.entries(all)) {
    if (!key.startsWith('trail:') || !Array.isArray(trail)) continue;
    const at = trail.findIndex((u) => urls.includes(u));
    if (at >= 0) return { tabId: Number(key.slice('trail:'.length)), trail: trail.slice(at + 1) };
  }
  const tabId = await platform.tabs.activeTabId().catch(() => undefined);
  return { tabId: tabId ?? null, trail: tabId === undefined ? [] : (all[`trail:${tabId}`] ?? []) };
}

// ---- Judging and holding.

/** What the engine is told about a download. */
function factsOf(item, trail) {
  return {
    url: item.url,
    finalUrl: item.finalUrl || null,
    filename: item.filename || null,
    mime: item.mime || null,
    referrer: item.referrer || null,
    trail,
  };
}

/** The address a download's warning names: where the file came from in the end. */
const addressOf = (facts) => facts.finalUrl || facts.url;

/** Uses up the grant "continue anyway" left for this file, if it is this file. */
async function takeGrant(facts, tabId) {
  const keys = [...new Set([facts.url, facts.finalUrl].filter(Boolean))].map((u) => `grant:${u}`);
  const found = await platform.storage.session.get(keys);
  if (!Object.keys(found).length) return false;
  await platform.storage.session.remove(Object.keys(found));
  const engine = deps.engine();
  return Object.values(found).some(
    (g) =>
      g?.until > Date.now() &&
      (g.tabId === undefined || g.tabId === null || g.tabId === tabId) &&
      deps.afterFault(() => engine.sameDownload(g.download, facts), () => false),
  );
}

async function hold(item, facts, verdict) {
  await platform.downloads.cancel(item.id).catch(() => {});
  // Where the browser reports a download only once it has started (Firefox), a small file may be
  // complete already: its file is deleted, not only its entry.
  await platform.downloads.removeFile(item.id).catch(() => {});
  await platform.downloads.erase(item.id).catch(() => {});
  await platform.storage.session.remove(`held:${item.id}`);
  await deps.showWarning({ kind: 'download', url: addressOf(facts), download: facts }, undefined, verdict);
}

/** Lets a download go on. It is marked as passed, so that no later worker judges it again (a
 * file "continue anyway" let through has used its grant). */
async function release(item) {
  const key = `held:${item.id}`;
  const { [key]: paused } = await platform.storage.session.get(key);
  await platform.storage.session.set({ [`passed:${item.id}`]: true });
  if (paused) await platform.downloads.resume(item.id).catch(() => {});
  await platform.storage.session.remove(key);
}

/** Judges a download this module has paused (`paused` settles once the pause is recorded); lets
 * it go on or holds it. */
async function decide(item, arrived, paused = Promise.resolve()) {
  deciding.add(item.id);
  try {
    await deps.ready;
    await paused;
    const { tabId, trail } = await trailOf(item);
    const facts = factsOf(item, trail);
    const since = performance.now();
    const verdict = deps.checked(() => deps.engine().checkDownload(facts), addressOf(facts));
    deps.noteVerdict(since, arrived);
    if (!verdict.warns || (await takeGrant(facts, tabId))) await release(item);
    else await hold(item, facts, verdict);
  } finally {
    deciding.delete(item.id);
    decided.add(item.id);
  }
}

/**
 * A change to a download this worker has not decided: the browser went on without the last
 * worker's answer (it was stopped before giving one), and the change (a name chosen, a pause)
 * woke this one. It is paused and judged now, while its body is still coming.
 */
async function onChange(delta) {
  if (deciding.has(delta.id) || decided.has(delta.id) || delta.state?.current === 'interrupted') return;
  deciding.add(delta.id);
  try {
    const [item] = await platform.downloads.search({ id: delta.id });
    if (item?.state !== 'in_progress') return;
    const marks = await platform.storage.session.get([`held:${item.id}`, `passed:${item.id}`]);
    // A download the user paused stays as the user left it; one already let through goes on.
    if ((item.paused && !marks[`held:${item.id}`]) || marks[`passed:${item.id}`]) return;
    await decide(item, performance.now(), pauseFirst(item));
  } finally {
    deciding.delete(delta.id);
  }
}

/** Pauses a download until its verdict, in a way that outlives this worker. */
function pauseFirst(item) {
  platform.alarms.create(RECHECK_ALARM, { delayInMinutes: RECHECK_MINUTES });
  return Promise.all([
    platform.downloads.pause(item.id).catch(() => {}),
    platform.storage.session.set({ [`held:${item.id}`]: Date.now() }),
  ]).catch((e) => console.warn('pausing a download', e));
}

/**
 * Every download still running when a worker starts: one the last worker paused and never
 * decided, or one it never saw (stopped before its listener ran), is judged now. A download the
 * user paused is left alone.
 */
async function sweep() {
  await deps.ready;
  const running = await platform.downloads.search({ state: 'in_progress' });
  const marks = await platform.storage.session.get(running.flatMap((d) => [`held:${d.id}`, `passed:${d.id}`]));
  const left = running.filter(
    (d) => !deciding.has(d.id) && !decided.has(d.id) && !marks[`passed:${d.id}`] && (marks[`held:${d.id}`] || !d.paused),
  );
  await Promise.all(left.map((d) => decide(d, performance.now()).catch((e) => console.warn('download', e))));
  if (!left.length) await platform.alarms.clear(RECHECK_ALARM);
}

/**
 * What "continue anyway" on `record` lets through: after a download's warning, that same file
 * once (fetched again now); after a page's warning, nothing, unless the warning was about the
 * app file its address names, which may then come once into that tab.
 */
export async function grantAfterContinue(record, verdict) {
  const until = Date.now() + GRANT_MS;
  if (record.kind === 'download') {
    const download = record.download ?? { url: record.url };
    await platform.storage.session.set({ [`grant:${download.url}`]: { until, download, tabId: null } });
    await platform.downloads.start({ url: download.url, filename: download.filename });
    return true;
  }
  if (verdict.reasons.some((r) => r.code === 'app_package_in_path')) {
    await platform.storage.session.set({ [`grant:${record.url}`]: { until, download: { url: record.url }, tabId: record.tabId } });
  }
  return false;
}

/** Registers the download listeners. `d` gives the worker's engine and helpers. */
export function setUpDownloads(d) {
  deps = d;
  platform.navigation.onBeforeNavigate(notePage);
  platform.navigation.onCommitted(notePage);
  platform.navigation.onCreatedNavigationTarget((details) => noteOpener(details).catch((e) => console.warn('opener', e)));
  platform.tabs.onRemoved((tabId) => platform.storage.session.remove(`trail:${tabId}`).catch(() => {}));
  platform.downloads.onErased((id) => platform.storage.session.remove([`held:${id}`, `passed:${id}`]).catch(() => {}));
  if (!platform.downloads.canDetermineFilename()) {
    // Firefox: no filename hook, and a paused download from a server without ranges cannot be
    // resumed; a response is held at its headers instead (firefox-downloads.js), and nothing here
    // pauses a download.
    const judge = (facts) => deps.checked(() => deps.engine().checkDownload(facts), addressOf(facts));
    holdFirefoxDownloads({
      ready: deps.ready,
      judge,
      judgeItem: (item) => judge(factsOf(item, [])),
      warn: (record, verdict) => deps.showWarning(record, undefined, verdict),
      holdItem: (item, verdict) => hold(item, factsOf(item, []), verdict),
      takeGrant: (facts) => takeGrant(facts, null),
    });
    return;
  }
  // The name is known here, before the file is written. The browser waits for `suggest` while
  // this worker lives; the pause is what holds the file if the worker is stopped first.
  platform.downloads.onDeterminingFilename((item, suggest) => {
    const arrived = performance.now();
    decide(item, arrived, pauseFirst(item))
      .catch((e) => console.warn('download', e))
      .finally(() => {
        try {
          suggest();
        } catch {
          // The download is already cancelled.
        }
      });
    return true;
  });
  platform.downloads.onChanged((delta) => onChange(delta).catch((e) => console.warn('download change', e)));
  platform.alarms.onAlarm((alarm) => {
    if (alarm.name === RECHECK_ALARM) sweep().catch((e) => console.warn('download sweep', e));
  });
  sweep().catch((e) => console.warn('download sweep', e));
}
