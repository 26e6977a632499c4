// The compact copies of the built-in lists and the admin's feeds, kept as bytes
// (platform.bytes, IndexedDB) under `list:<id>` and `feed:<url>`, so a worker start reads them
// back without decoding text. Version 0.1.0 kept them as base64 in storage.local (`listCopies`,
// `feedCopies`); the first start after an update moves them over.
import * as platform from './platform.js';

const LIST = 'list:';
const FEED = 'feed:';
/** The storage.local keys of copies kept the old way, read at start-up until they are moved. */
export const LEGACY_KEYS = ['listCopies', 'feedCopies'];

/** Base64 <-> bytes, for the small values storage.local keeps (it holds JSON only). */
export const toBase64 = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
export const fromBase64 = (text) =>
  typeof Uint8Array.fromBase64 === 'function' ? Uint8Array.fromBase64(text) : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

const under = (kept, prefix) =>
  Object.fromEntries(Object.entries(kept).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
const keyed = (prefix, copies) => Object.fromEntries(Object.entries(copies).map(([k, v]) => [prefix + k, v]));

/**
 * The copies kept, `{lists: {id: bytes}, feeds: {url: bytes}}`; with `only` ('lists' or
 * 'feeds') just that kind is read (a feed's copy can be megabytes). A store that cannot be read
 * gives none: the shipped lists then take over and the feeds are fetched again.
 */
export async function load(only = null) {
  const prefix = { lists: LIST, feeds: FEED }[only] ?? '';
  try {
    const kept = await platform.bytes.all(prefix);
    return { lists: under(kept, LIST), feeds: under(kept, FEED) };
  } catch (e) {
    console.warn('stored list copies unreadable', e);
    return { lists: {}, feeds: {} };
  }
}

/**
 * Adds the copies `saved` (storage.local) still holds the old way to `kept` (from `load`), then
 * moves them to the byte store in the background. A copy already in the byte store wins.
 */
export function adoptLegacy(kept, saved) {
  if (!LEGACY_KEYS.some((k) => saved[k])) return;
  const decode = (copies, into) => {
    for (const [k, v] of Object.entries(copies ?? {})) {
      try {
        into[k] ??= fromBase64(v);
      } catch {
        // Not base64: nothing to put back; the list or feed is fetched again.
      }
    }
  };
  decode(saved.listCopies, kept.lists);
  decode(saved.feedCopies, kept.feeds);
  Promise.all([keepLists(kept.lists), keepFeeds(kept.feeds)])
    .then(() => platform.storage.local.remove(LEGACY_KEYS))
    .catch((e) => console.warn('moving list copies', e));
}

/** Keeps `copies` (`{id: bytes}`) as the built-in lists' copies, replacing the ones kept. */
export const keepLists = (copies) => platform.bytes.replace(LIST, keyed(LIST, copies));
/** Keeps `copies` (`{url: bytes}`) as the feeds' copies, replacing the ones kept. */
export const keepFeeds = (copies) => platform.bytes.replace(FEED, keyed(FEED, copies));
