// Built-in community lists (hostsVN) and the admin's feeds: one download path for both. The
// snapshot shipped with the extension protects from the first start, offline; a refresh replaces
// it only with a body the engine accepts. Parsing, format checks and matching are the engine's;
// this module fetches, stores and schedules. Downloads are whole-list GETs: no cookie, no
// referrer, nothing about browsing (see docs/lists.md).
import { parseFeed, builtinLists, ListParser } from './engine/canhgiac.js';
import * as copies from './copies.js';
import * as platform from './platform.js';

/** What a worker start reads from storage.local: which extension version's snapshot the copies
 * (copies.js) hold, and what each refresh found. */
export const START_KEYS = ['listBundle', 'listStatus'];
const ALARM = 'builtin-lists';
/** A big list is handed to the engine in pieces of about this many characters, with a pause
 * between them in which waiting navigation checks run: a piece takes ~3 ms (see docs/lists.md). */
const CHUNK_CHARS = 64 * 1024;

/**
 * Parses a list body into `{copy, stats}`. Text lists go to the engine a piece at a time (cut at
 * line ends), yielding between pieces: the worker keeps answering while a big list is read, and
 * the engine holds only the compact entries. A pinned or JSON body is parsed whole.
 */
export async function parseList(body, format = 'domains', pin = null, previous = null) {
  if (pin || format === 'json') return parseFeed(body, format, pin, previous);
  const parser = new ListParser(previous);
  try {
    for (let at = 0; at < body.length; ) {
      let end = Math.min(body.length, at + CHUNK_CHARS);
      if (end < body.length) {
        const nl = body.indexOf('\n', end);
        end = nl === -1 ? body.length : nl + 1;
      }
      parser.push(body.slice(at, end));
      at = end;
      if (at < body.length) await new Promise((r) => setTimeout(r, 0));
    }
    return parser.finish(previous);
  } finally {
    parser.free();
  }
}

/**
 * Fetches one list body: conditional on the last good copy's ETag / Last-Modified, abandoned
 * after `timeoutMs`, refused past `maxBytes` (read as it arrives, so a huge body is never held
 * whole). Returns `{unchanged: true}` on 304, else `{body, etag, lastModified}`.
 *
 * `cache: 'no-store'`: the browser's HTTP cache neither answers nor keeps it; the validators we
 * send are the ones of the copy we hold, so a 304 always means "the copy you have is current".
 */
export async function fetchList(url, previous, { maxBytes, timeoutMs }) {
  const headers = {};
  if (previous?.etag) headers['If-None-Match'] = previous.etag;
  if (previous?.lastModified) headers['If-Modified-Since'] = previous.lastModified;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const res = await fetch(url, {
      headers,
      signal: abort.signal,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      redirect: 'follow',
    });
    if (res.status === 304) return { unchanged: true };
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new Error(`${declared} bytes is over the ${maxBytes}-byte cap`);
    const reader = res.body.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        abort.abort();
        throw new Error(`over the ${maxBytes}-byte cap`);
      }
      chunks.push(value);
    }
    if (declared && total !== declared) throw new Error(`truncated: ${total} of ${declared} bytes`);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    const body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { body, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
  } finally {
    clearTimeout(timer);
  }
}

/** The built-in lists as the engine describes them, with refresh addresses for `policy`. */
const describe = (policy) => builtinLists(policy?.builtInListsMirror ?? null);

/** Set when the stored copies could not be put back: the shipped snapshot then takes over. */
let damaged = false;

/** Puts stored copies (`{id: bytes}`) into `engine`; returns false when there are none yet (a
 * fresh install). */
export function putBack(engine, listCopies) {
  const lists = describe(null).filter((l) => listCopies[l.id]);
  if (!lists.length) return false;
  try {
    engine.setBuiltinLists(
      lists.map((l) => l.name),
      lists.map((l) => listCopies[l.id]),
    );
    return true;
  } catch (e) {
    console.warn('built-in list copies damaged; the shipped snapshot is used', e);
    damaged = true;
    return false;
  }
}

/** Whether the stored copies (`{id: bytes}`) must come from the shipped snapshot: none yet, or
 * only an older version's snapshot (an update ships a newer one; a refreshed copy is kept
 * whatever its age). `saved` is what storage.local holds under START_KEYS. */
export function needsBundled(listCopies, saved) {
  if (!Object.keys(listCopies).length || damaged) return true;
  const refreshed = Object.values(saved.listStatus ?? {}).some((s) => s.from === 'refresh');
  return !refreshed && saved.listBundle !== platform.version();
}

/**
 * A fresh install (or damaged copies): parses the snapshots shipped in `lists/` and keeps their
 * compact copies, so later worker starts restore them without parsing. No network.
 */
export async function loadBundled(engine) {
  const lists = describe(null);
  const listCopies = {};
  const listStatus = {};
  for (const l of lists) {
    try {
      const body = await (await fetch(platform.url(`lists/${l.file}`))).text();
      const { copy, stats } = await parseList(body);
      listCopies[l.id] = copy;
      listStatus[l.id] = { from: 'bundled', entries: stats.entries, badLines: stats.badLines, lastUpdate: l.snapshotDate, lastError: null };
    } catch (e) {
      listStatus[l.id] = { from: 'bundled', lastError: `${new Date().toISOString()} ${e.message ?? e}` };
    }
  }
  const have = lists.filter((l) => listCopies[l.id]);
  engine.setBuiltinLists(
    have.map((l) => l.name),
    have.map((l) => listCopies[l.id]),
  );
  damaged = false;
  await copies.keepLists(listCopies);
  await platform.storage.local.set({ listStatus, listBundle: platform.version() });
}

/** Keeps the daily alarm while built-in lists are on; none while they are off. The first refresh
 * comes a day after install (the shipped snapshot protects until then): installing, starting or
 * browsing never triggers a download, so the list's server learns nothing from its timing. */
export async function schedule(policy) {
  if (policy?.builtInLists === false) return platform.alarms.clear(ALARM);
  const alarm = await platform.alarms.get(ALARM);
  const [first] = describe(policy);
  if (alarm?.periodInMinutes === first.refreshMinutes) return;
  platform.alarms.create(ALARM, { delayInMinutes: first.refreshMinutes, periodInMinutes: first.refreshMinutes });
}

/** Refreshes one list into `kept`/`statuses`; the last good copy stays on any failure. */
async function refreshOne(list, kept, statuses) {
  const status = { ...(statuses[list.id] ?? {}) };
  // Validators belong to the copy from that same address: a new mirror fetches in full.
  const previous = status.url === list.url ? status : null;
  status.lastAttempt = new Date().toISOString();
  try {
    const got = await fetchList(list.url, previous, list);
    if (!got.unchanged) {
      const { copy, stats } = await parseList(got.body, 'domains', null, status.entries ?? null);
      kept[list.id] = copy;
      Object.assign(status, {
        from: 'refresh',
        url: list.url,
        entries: stats.entries,
        badLines: stats.badLines,
        badKinds: stats.badKinds,
        etag: got.etag,
        lastModified: got.lastModified,
      });
    }
    status.lastUpdate = new Date().toISOString();
    status.lastError = null;
  } catch (e) {
    status.lastError = `${new Date().toISOString()} ${e.message ?? e}`;
  }
  statuses[list.id] = status;
}

/** Refreshes every built-in list, keeps the results and hands the copies to the engine. */
export async function refresh(engine, policy) {
  if (policy?.builtInLists === false) return;
  const lists = describe(policy);
  const [{ lists: kept }, { listStatus: statuses = {} }] = await Promise.all([copies.load('lists'), platform.storage.local.get('listStatus')]);
  for (const list of lists) await refreshOne(list, kept, statuses);
  await copies.keepLists(kept);
  await platform.storage.local.set({ listStatus: statuses });
  const have = lists.filter((l) => kept[l.id]);
  engine().setBuiltinLists(
    have.map((l) => l.name),
    have.map((l) => kept[l.id]),
  );
}

/** What the options page shows for each built-in list. */
export async function status(policy, managedKeys) {
  const { listStatus = {} } = await platform.storage.local.get('listStatus');
  return {
    enabled: policy?.builtInLists !== false,
    locked: managedKeys.includes('builtInLists'),
    lists: describe(policy).map((l) => ({
      id: l.id,
      name: l.name,
      source: l.source,
      licence: l.licence,
      url: l.url,
      snapshotDate: l.snapshotDate,
      ...listStatus[l.id],
    })),
  };
}

export const isListAlarm = (alarm) => alarm.name === ALARM;
