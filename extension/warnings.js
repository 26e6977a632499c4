// Warnings, worker side: the record of what a warning is about (kept in session storage, so the
// warning page can be reloaded and a report made from it), showing the warning page in a tab, and
// the warning page's messages: what to show, "go back to safety", "continue anyway" and
// "report". The engine judges every record again before the page shows it or lets the user past.
//
// Storage (session): warning:<id> {kind, url, tabId, created, …} a warning's record;
// bypass:<tab>:<scope> until, a "continue anyway" in force (navigation.js reads it too).
import { allowInTab, WARNING_PAGE } from './browser-rules.js';
import { grantAfterContinue } from './downloads.js';
import { leave, leavePlan, released, topUrlOf, warnedJustNow } from './navigation.js';
import * as platform from './platform.js';
import * as reports from './reports.js';

/** How many warnings a tab keeps in session storage: enough for Back to find its last few warning
 * pages, and few enough that a page framing the warning page again and again cannot fill the
 * storage (10 MB) every later warning needs. */
const WARNINGS_KEPT_PER_TAB = 5;

let d = null;
/** Warning id → the promise of the tab its record is bound to, while the record is being stored:
 * memory-only, for this worker's life; the record itself is in storage. */
const boundWarnings = new Map();

/**
 * Wires the module to the worker: `engine()` the ready engine, `checked(check, url)` a verdict
 * call that survives a fault, `failedCheck(verdict)` whether a verdict is the one for a check that
 * failed, `policy()` the effective policy, `language()` the pages' language.
 */
export function setUp(deps) {
  d = deps;
}

/** Whether `tabId` has a "continue anyway" in force for `scope`. */
export async function bypassed(tabId, scope) {
  if (!scope) return false;
  const key = `bypass:${tabId}:${scope}`;
  const { [key]: until } = await platform.storage.session.get(key);
  return typeof until === 'number' && until > Date.now();
}

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
export async function dropWarnings(tabId, keep = 0) {
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
export async function showWarning(record, tabId, verdict = null) {
  if (verdict) record = { ...record, checkFailed: d.failedCheck(verdict) };
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

/** The record a warning page asks about (by id, or by the address in its own URL), if it is one
 * for the sender's tab; a record made from an address comes with its verdict. */
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
    const verdict = d.checked(() => d.engine().checkUrl(message.url), message.url);
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
  if (record.checkFailed) return d.engine().uncheckedVerdict(record.url);
  return d.checked(() => {
    if (record.kind === 'download') return d.engine().checkDownload(record.download);
    // A link from a chat is judged with the text it showed.
    if (record.kind === 'link') return d.engine().checkLink(record.url, record.linkText || null);
    return d.engine().checkUrl(record.url);
  }, record.url);
}

/** The warning page's messages. `allowed(sender, page)` checks a sender. */
export function handlers(allowed) {
  return {
    async warning(message, sender) {
      if (!allowed(sender, 'warning.html')) return { error: 'not allowed' };
      // A request held while the engine started (navigation.js): on to it, unless it is warned.
      const go = message.hold ? await released(message.url, sender.tab?.id) : null;
      if (go) return { go };
      const found = await warningRecord(message, sender);
      if (!found) return { error: 'unknown warning' };
      if (sender.frameId !== 0) {
        // Shown inside a frame (a redirected subframe, or a page framing it): the whole tab goes
        // to the warning instead, where no page can overlay or click it.
        // The page holding the frame is what "continue" reopens, as when navigation.js stops the
        // frame: whichever of the two reaches the tab first, the record is the same.
        if (!warnedJustNow(found.record.tabId, found.record.url)) {
          const { record } = found;
          const framed = record.topUrl ? record : { ...record, frame: sender.frameId, topUrl: await topUrlOf(record.tabId) };
          await showWarning(framed, record.tabId);
        }
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
        contact: d.policy().reportContact ?? null,
        police: d.policy().policeContact ?? null,
        lang: d.language(),
        // What "go back to safety" will do, so the page can say it before it is pressed.
        leave: await leavePlan(found.record.tabId, message.historyLength),
      };
    },
    async leave(message, sender) {
      // The warning page shown as its tab's own page, leaving that tab: back past every stopped
      // entry (the page goes back itself), else the tab is closed or shows a new-tab page.
      if (!allowed(sender, 'warning.html') || sender.frameId !== 0 || sender.tab?.id === undefined) return { error: 'not allowed' };
      const plan = await leavePlan(sender.tab.id, message.historyLength);
      if (plan.action !== 'back') await leave(sender.tab.id, plan);
      return plan;
    },
    async continue(message, sender) {
      // Only the warning page itself, shown as the tab's own page (never framed), may ask.
      if (!allowed(sender, 'warning.html') || sender.frameId !== 0) return { error: 'not allowed' };
      const key = `warning:${message.id}`;
      const { [key]: record } = await platform.storage.session.get(key);
      if (!record || record.tabId !== sender.tab?.id) return { error: 'unknown warning' };
      const verdict = judge(record);
      if (!(verdict.bypassMinutes > 0)) return { error: 'not allowed by policy' };
      await platform.storage.session.remove(key);
      // A download's continue fetches the file again, and only that file may come through; a
      // page's continue covers that page in that tab, never an app or a program it leads to.
      if (await grantAfterContinue(record, verdict)) return { ok: true, kind: 'download' };
      const until = Date.now() + verdict.bypassMinutes * 60_000;
      await platform.storage.session.set({ [`bypass:${record.tabId}:${verdict.bypassScope}`]: until });
      await allowInTab(record.tabId, verdict.bypassScope, until);
      await platform.tabs.update(record.tabId, { url: record.topUrl ?? record.url });
      return { ok: true, kind: 'navigation' };
    },
    async reportWarning(message, sender) {
      // Only the warning page, about the warning shown in its own tab.
      if (!allowed(sender, 'warning.html')) return { error: 'not allowed' };
      const found = await warningRecord(message, sender);
      if (!found) return { error: 'unknown warning' };
      // A report of a false warning opens with that kind chosen (see extension/false-warning.js).
      return reports.startReport({ warning: found.record, kind: message.kind === 'false_warning' ? 'false_warning' : null });
    },
  };
}
