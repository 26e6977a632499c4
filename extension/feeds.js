// Feeds: the admin's block-list feeds, the only requests the extension makes on its own besides
// the built-in lists, and only when an admin sets them. Each goes through the same download path
// as the built-in lists (lists.js); the engine parses and applies them.
//
// Storage: the copies as bytes (copies.js, `feed:<url>`); feedStatus {url: last outcome} in
// storage.local.
import * as copies from './copies.js';
import { maxFeedBytes } from './engine/canhgiac.js';
import * as lists from './lists.js';
import * as platform from './platform.js';

/** A feed download that takes longer is abandoned; the last good copy stays in force. */
const FEED_TIMEOUT_MS = 30_000;
const ALARM = 'feeds';

let d = null;
/** The feeds whose copy this worker holds: one that had a copy and lost it is fetched again. */
const held = new Set();

/** Wires the module to the worker: `ready` its start-up promise, `engine()` the ready engine,
 * `policy()` the effective policy. */
export function setUp(deps) {
  d = deps;
}

/** Puts the stored feed copies (`{url: bytes}`) back into `engine`. */
export function putBack(engine, feedCopies) {
  held.clear();
  try {
    engine.setFeeds(Object.values(feedCopies));
    for (const url of Object.keys(feedCopies)) held.add(url);
  } catch (e) {
    console.warn('feed copies damaged; feeds will be fetched again', e);
  }
}

/**
 * Keeps the feeds' alarm for `policy`. A feed never tried yet, or a new refresh period, brings a
 * fetch within seconds; otherwise the alarm already set stands. A worker that merely restarted
 * (every ~30 s idle) fetches nothing: the feed's server must not learn when the user is browsing.
 */
export async function schedule(policy) {
  const { feedRefreshMinutes, blocklistFeeds } = policy;
  if (!blocklistFeeds.length) return platform.alarms.clear(ALARM);
  const [alarm, { feedStatus = {} }] = await Promise.all([platform.alarms.get(ALARM), platform.storage.local.get('feedStatus')]);
  // A feed whose copy was lost (damaged, or the store unreadable) counts as never tried.
  const untried = blocklistFeeds.some((f) => !feedStatus[f.url] || (feedStatus[f.url].entries != null && !held.has(f.url)));
  if (alarm?.periodInMinutes === feedRefreshMinutes && !untried) return;
  platform.alarms.create(ALARM, { delayInMinutes: 0.05, periodInMinutes: feedRefreshMinutes });
}

/** Whether `alarm` is the feeds' refresh. */
export const isFeedAlarm = (alarm) => alarm.name === ALARM;

/** One feed through the same download path as the built-in lists (lists.fetchList). */
async function fetchFeed(feed, previous) {
  const got = await lists.fetchList(feed.url, previous, { maxBytes: maxFeedBytes(), timeoutMs: FEED_TIMEOUT_MS });
  if (got.unchanged) return got;
  const { copy, stats: parsed } = await lists.parseList(got.body, feed.format, feed.sha256 ?? null, previous?.entries ?? null);
  return { copy, parsed, etag: got.etag, lastModified: got.lastModified };
}

/** Fetches every feed the policy names, keeps the copies and their status, and applies them. */
export async function refresh() {
  await d.ready;
  const feeds = d.policy().blocklistFeeds;
  const [{ feeds: feedCopies }, { feedStatus = {} }] = await Promise.all([copies.load('feeds'), platform.storage.local.get('feedStatus')]);
  for (const feed of feeds) {
    const status = feedStatus[feed.url] ?? {};
    try {
      const got = await fetchFeed(feed, status);
      status.lastSuccess = new Date().toISOString();
      status.lastError = null;
      if (!got.unchanged) {
        feedCopies[feed.url] = got.copy;
        Object.assign(status, { entries: got.parsed.entries, badLines: got.parsed.badLines, etag: got.etag, lastModified: got.lastModified });
      }
    } catch (e) {
      // The last good copy stays in force.
      status.lastError = `${new Date().toISOString()} ${e.message ?? e}`;
    }
    feedStatus[feed.url] = status;
  }
  for (const url of Object.keys(feedCopies)) if (!feeds.some((f) => f.url === url)) delete feedCopies[url];
  // The copies first: a status with entries says a copy is kept.
  await copies.keepFeeds(feedCopies);
  await platform.storage.local.set({ feedStatus });
  putBack(d.engine(), feedCopies);
}
