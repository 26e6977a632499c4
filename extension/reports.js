// Reports, worker side: a draft when the user asks to report, the report the engine builds from
// it, a durable outbox, and delivery that survives the worker being stopped and the browser being
// closed. Nothing is sent until the user presses "send"; the engine validates every report and
// decides what each delivery answer means (`deliveryStep`).
//
// Storage (extension-local, survives restarts):
//   reports            {id: entry}   small index the report page lists: state, attempts, errors
//   reportPayload:<id> {report, summary}   the report itself; removed once an endpoint took it
//   reportDraft:<id>   (session) what the form starts from, screenshot included
import { deliveryStep, maxUrlBytes } from './engine/canhgiac.js';
import * as platform from './platform.js';

/** A delivery attempt that takes longer is abandoned and retried later. */
const SEND_TIMEOUT_MS = 30_000;
/** JPEG quality of screenshots: readable text at a fifth of a PNG's size. */
const SCREENSHOT_QUALITY = 70;
/** Drafts nobody sent are dropped after a day (they hold screenshots). */
const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;
/** Unsent drafts kept at once, newest first: with a screenshot each they would otherwise fill
 * the session storage (10 MB) that every warning needs. */
const DRAFTS_KEPT = 4;
/** Longest address a draft or a warning record keeps: one character past the engine's limit for an
 * address (the engine's maxUrlBytes), so a longer one is still judged too long. */
export const maxKeptChars = () => maxUrlBytes() + 1;
/** A sent report's line in the list (its payload is already gone) is kept this long. */
const SENT_KEPT_MS = 90 * 24 * 60 * 60 * 1000;
/** Marks attempts made by this worker's life: an attempt marked by another was cut short. */
const WORKER_LIFE = crypto.randomUUID();

/** Attempts running in this worker, so two events never send one report twice at once. */
const inFlight = new Set();
/** Index updates run one after another (read, change, write). */
let queue = Promise.resolve();
function serial(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

let deps = null;

/**
 * Wires the module to the worker: `engine()` the ready engine, `policy()` the effective policy,
 * `language()` the language of messages, `ready` the worker's start-up promise,
 * `afterFault(run, fallback)` runs `run` and, when the engine faults in it, `fallback` on a fresh
 * engine.
 */
export function setUp(wiring) {
  deps = wiring;
  globalThis.addEventListener?.('online', () => deliverDue().catch(() => {}));
}

const entries = async () => (await platform.storage.local.get('reports')).reports ?? {};

/** Changes one index entry with `fn(entry)`; `fn` returns the new entry, or null for no change. */
function updateEntry(id, fn) {
  return serial(async () => {
    const all = await entries();
    const next = all[id] ? fn(all[id]) : null;
    if (!next) return null;
    all[id] = next;
    await platform.storage.local.set({ reports: all });
    return next;
  });
}

const endpoint = () => deps.policy().reportEndpoint ?? null;

// ---- Drafts

/** The URL of a tab as the worker last judged it (the warning page never counts). */
async function tabUrl(tabId) {
  const key = `tab:${tabId}`;
  return (await platform.storage.session.get(key))[key] ?? null;
}

async function openerUrl(tab) {
  if (!tab || tab.openerTabId === undefined) return null;
  return (await tabUrl(tab.openerTabId)) ?? (await platform.tabs.get(tab.openerTabId))?.url ?? null;
}

/** A screenshot of `tab` when it is the one on screen and shows a web page (or, with
 * `ownPage`, this extension's warning page), else null. */
async function screenshot(tab, ownPage = false) {
  const shows = /^https?:/.test(tab?.url ?? '') || (ownPage && (tab?.url ?? '').startsWith(platform.url('warning.html')));
  if (!tab?.active || !shows) return null;
  return platform.tabs.capture(tab.windowId, SCREENSHOT_QUALITY);
}

/**
 * Starts a report: gathers what the browser knows and keeps it as a draft, then opens the
 * report form on it. `from` is `{warning: record}` (the warning page), `{tabId}` (the popup's
 * "report this page") or `{linkUrl, tab}` (the context menu's "report this link").
 */
export async function startReport(from) {
  const draft = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), redirectChain: [], pageTitle: null, referrer: null, opener: null, screenshot: null };
  if (from.warning) {
    const record = from.warning;
    draft.source = 'warning';
    draft.url = record.url;
    const original = record.download?.url;
    draft.redirectChain = record.redirectChain ?? (original && original !== record.url ? [original] : []);
    draft.referrer = record.download?.referrer ?? record.topUrl ?? null;
    const tab = await platform.tabs.get(record.tabId);
    draft.opener = await openerUrl(tab);
    // The warning page the user reports from: what they saw, the address and reasons included.
    draft.screenshot = await screenshot(tab, true);
  } else if (from.linkUrl) {
    draft.source = 'link';
    draft.url = from.linkUrl;
    // The page the link was in: where the stranger sent it, which is the evidence.
    draft.referrer = from.tab?.url ?? null;
    draft.pageTitle = from.tab?.title ?? null;
    draft.screenshot = await screenshot(from.tab);
  } else {
    const tab = await platform.tabs.get(from.tabId);
    draft.source = 'tab';
    draft.url = (await tabUrl(from.tabId)) ?? tab?.url ?? null;
    const showsPage = tab?.url === draft.url;
    draft.pageTitle = showsPage ? tab.title : null;
    draft.opener = await openerUrl(tab);
    draft.screenshot = showsPage ? await screenshot(tab) : null;
  }
  if (!draft.url) throw new Error('there is no page to report in this tab');
  for (const key of ['url', 'referrer', 'opener']) if (typeof draft[key] === 'string') draft[key] = draft[key].slice(0, maxKeptChars());
  draft.redirectChain = draft.redirectChain.map((u) => String(u).slice(0, maxKeptChars()));
  await platform.storage.session.set({ [`reportDraft:${draft.id}`]: draft });
  await dropOldDrafts().catch((e) => console.warn('old drafts', e));
  const kind = from.kind ? `&kind=${encodeURIComponent(from.kind)}` : '';
  await platform.tabs.create({ url: platform.url(`report.html?draft=${draft.id}${kind}`) });
  return { draft: draft.id };
}

/** Drops drafts past their day, and all but the newest DRAFTS_KEPT. */
async function dropOldDrafts() {
  const all = await platform.storage.session.get(null);
  const drafts = Object.entries(all)
    .filter(([k]) => k.startsWith('reportDraft:'))
    .sort(([, a], [, b]) => String(b.createdAt).localeCompare(String(a.createdAt)));
  const old = drafts.filter(([, d], i) => i >= DRAFTS_KEPT || !(Date.now() - Date.parse(d.createdAt) <= DRAFT_TTL_MS)).map(([k]) => k);
  if (old.length) await platform.storage.session.remove(old);
}

async function loadDraft(id) {
  const key = `reportDraft:${id}`;
  const draft = (await platform.storage.session.get(key))[key];
  if (!draft || Date.now() - Date.parse(draft.createdAt) > DRAFT_TTL_MS) return null;
  return draft;
}

/** The engine's report for `draft` with the user's choices: exactly what would be sent. When
 * the engine faults on the reported URL (it judges it again for the report), a fresh engine
 * builds it with the warning for a check that failed: such a page is worth reporting most. */
function build(draft, choices) {
  return deps.afterFault(
    () => buildWith(draft, choices, false),
    () => buildWith(draft, choices, true),
  );
}

function buildWith(draft, choices, checkFailed) {
  return deps.engine().buildReport({
    id: draft.id,
    createdAt: draft.createdAt,
    kind: choices.kind,
    url: draft.url,
    redirectChain: draft.redirectChain,
    pageTitle: draft.pageTitle,
    referrer: draft.referrer,
    opener: draft.opener,
    note: choices.note || null,
    contact: choices.contact || null,
    screenshot: choices.screenshot && draft.screenshot ? { mime: 'image/jpeg', base64: draft.screenshot } : null,
    browser: platform.browserName(),
    extensionVersion: platform.version(),
    language: deps.language(),
    checkFailed,
  });
}

// ---- Delivery

function readableError(e) {
  if (e?.name === 'AbortError') return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  return String(e?.message ?? e);
}

/** The endpoint's `message`, when its answer is a small JSON object that has one. */
async function answerMessage(res) {
  try {
    const body = await res.json();
    return typeof body?.message === 'string' ? body.message.slice(0, 300) : null;
  } catch {
    return null;
  }
}

async function post(url, report) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': report.id },
      body: JSON.stringify(report),
      credentials: 'omit',
      cache: 'no-store',
      // A redirected POST could carry the report somewhere the admin never named.
      redirect: 'error',
      signal: abort.signal,
    });
    return { status: res.status, message: await answerMessage(res), error: null };
  } catch (e) {
    return { status: null, message: null, error: readableError(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** One delivery attempt of report `id`, unless it is sent, refused, or already on its way. */
async function attempt(id) {
  if (inFlight.has(id)) return;
  inFlight.add(id);
  try {
    const target = endpoint();
    const claimed = await updateEntry(id, (e) => {
      const waiting = e.state === 'queued' || (e.state === 'sending' && e.worker !== WORKER_LIFE);
      if (!waiting) return null;
      if (!target) return { ...e, state: 'saved', worker: null };
      return { ...e, state: 'sending', worker: WORKER_LIFE, endpoint: target };
    });
    if (!claimed || claimed.state !== 'sending') return;
    const key = `reportPayload:${id}`;
    const payload = (await platform.storage.local.get(key))[key];
    if (!payload) {
      await updateEntry(id, (e) => ({ ...e, state: 'failed', worker: null, lastError: 'the report was lost from storage' }));
      return;
    }
    const got = await post(target, payload.report);
    const step = deliveryStep(got.status, claimed.attempts + 1, Math.random());
    const now = Date.now();
    const lastError = got.error ?? (got.status && step.outcome !== 'delivered' ? `HTTP ${got.status}${got.message ? ` — ${got.message}` : ''}` : null);
    await updateEntry(id, (e) => {
      const base = { ...e, attempts: e.attempts + 1, lastAttemptAt: now, worker: null, lastStatus: got.status, answer: got.message };
      if (step.outcome === 'delivered') return { ...base, state: 'sent', sentAt: now, lastError: null, nextAttemptAt: null };
      if (step.outcome === 'rejected') return { ...base, state: 'failed', lastError, nextAttemptAt: null };
      return { ...base, state: 'queued', lastError, nextAttemptAt: now + step.retryInMs };
    });
    // Removed only once an endpoint took it; a refused one stays to be saved or shown.
    if (step.outcome === 'delivered') await platform.storage.local.remove(key);
  } finally {
    inFlight.delete(id);
  }
}

/** Sets the retry alarm for the earliest waiting report. */
async function schedule() {
  const waiting = Object.values(await entries()).filter((e) => e.state === 'queued' && e.nextAttemptAt);
  if (!waiting.length) return;
  const when = Math.max(Date.now() + 1000, Math.min(...waiting.map((e) => e.nextAttemptAt)));
  platform.alarms.create('reports', { when });
}

/** Forgets the lines of reports sent long ago; nothing unsent is ever dropped. */
function pruneSent() {
  return serial(async () => {
    const all = await entries();
    const old = Object.values(all).filter((e) => e.state === 'sent' && Date.now() - e.sentAt > SENT_KEPT_MS);
    if (!old.length) return;
    for (const e of old) delete all[e.id];
    await platform.storage.local.set({ reports: all });
  });
}

/** Tries every report whose time has come (or whose last attempt was cut short). */
export async function deliverDue({ force = [] } = {}) {
  await deps.ready;
  const now = Date.now();
  const due = Object.values(await entries()).filter(
    (e) => force.includes(e.id) || (e.state === 'queued' && (e.nextAttemptAt ?? 0) <= now) || (e.state === 'sending' && e.worker !== WORKER_LIFE),
  );
  await Promise.all(due.map((e) => attempt(e.id)));
  await schedule();
}

/** At each worker start: forget old lines, then send what an earlier worker left waiting. */
export async function onWorkerStart() {
  await deps.ready;
  await pruneSent();
  await deliverDue();
}

/** Called when the `reports` alarm fires. */
export const onAlarm = () => deliverDue();

/** A summary of the index for the report page, newest first. */
async function list() {
  const all = Object.values(await entries()).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return all.map((e) => ({ ...e, worker: undefined }));
}

// ---- Messages from the extension's pages

/** Handlers for the worker's router; `allowed(sender, page)` checks who is asking. */
export function handlers(allowed) {
  const fromReportPage = (sender) => allowed(sender, 'report.html');
  return {
    async reportStartTab(message, sender) {
      if (!allowed(sender, 'popup.html')) return { error: 'not allowed' };
      return startReport({ tabId: message.tabId });
    },
    async reportDraft(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      const draft = await loadDraft(message.draft);
      if (!draft) return { error: 'unknown draft' };
      const sent = (await entries())[draft.id];
      const contact = deps.policy().reportContact ?? null;
      const police = deps.policy().policeContact ?? null;
      return { draft, sent: sent ? sent.state : null, endpoint: endpoint(), contact, police, lang: deps.language() };
    },
    async reportPreview(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      const draft = await loadDraft(message.draft);
      if (!draft) return { error: 'unknown draft' };
      return build(draft, message.choices);
    },
    async reportSend(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      const draft = await loadDraft(message.draft);
      if (!draft) return { error: 'unknown draft' };
      const built = build(draft, message.choices);
      const id = built.report.id;
      // Into the outbox before any attempt: from here on nothing can lose it.
      const fresh = await serial(async () => {
        const all = await entries();
        if (all[id]) return false; // a second press of "send"
        await platform.storage.local.set({ [`reportPayload:${id}`]: { report: built.report, summary: built.summary } });
        all[id] = {
          id,
          url: built.report.url,
          kind: built.report.kind,
          createdAt: built.report.createdAt,
          state: endpoint() ? 'queued' : 'saved',
          attempts: 0,
          nextAttemptAt: Date.now(),
          lastError: null,
        };
        await platform.storage.local.set({ reports: all });
        return true;
      });
      await platform.storage.session.remove(`reportDraft:${draft.id}`);
      if (fresh) deliverDue().catch((e) => console.warn('report delivery', e));
      return { id, state: (await entries())[id].state };
    },
    async reportList(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      return { reports: await list(), endpoint: endpoint(), contact: deps.policy().reportContact ?? null, police: deps.policy().policeContact ?? null, lang: deps.language() };
    },
    async reportPayload(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      const key = `reportPayload:${message.id}`;
      return (await platform.storage.local.get(key))[key] ?? { error: 'not kept on this machine' };
    },
    async reportDelete(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      // The user's own choice: a report (screenshot included) leaves this machine's storage.
      const removed = await serial(async () => {
        const all = await entries();
        if (!all[message.id] || inFlight.has(message.id)) return false;
        delete all[message.id];
        await platform.storage.local.set({ reports: all });
        await platform.storage.local.remove(`reportPayload:${message.id}`);
        return true;
      });
      return removed ? { ok: true } : { error: 'not found, or being sent right now' };
    },
    async reportRetry(message, sender) {
      if (!fromReportPage(sender)) return { error: 'not allowed' };
      // "Try again now" also takes back a refused report: the admin may have fixed the endpoint.
      await updateEntry(message.id, (e) => (e.state === 'queued' || e.state === 'failed' || e.state === 'saved' ? { ...e, state: 'queued', nextAttemptAt: Date.now() } : null));
      await deliverDue({ force: [message.id] });
      return { state: (await entries())[message.id]?.state ?? null };
    },
  };
}
