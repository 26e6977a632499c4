// Feeds: the admin's block-list feeds, the only requests the extension makes on its own besides
// the built-in lists, and only when an admin sets them. Each goes through the same download path
// as the built-in lists (lists.js); the engine parses and applies them.
//
// Storage (extension-local): feedCopies {url: base64 copy}, feedStatus {url: last outcome}.
import { maxFeedBytes } from './engine/canhgiac.js';
import * as lists from './lists.js';
import { fromBase64, toBase64 } from './lists.js';
import * as platform from './platform.js';

/** A feed download that takes longer is abandoned; the last good copy stays in force. */
const FEED_TIMEOUT_MS = 30_000;
const ALARM = 'feeds';

let d = null;

/** Wires the module to the worker: `ready` its start-up promise, `engine()` the ready engine,
 * `policy()` the effective policy. */
export function setUp(deps) {
  d = deps;
}

/** Puts the stored feed copies (`saved.feedCopies`) back into `engine`. */
export function putBack(engine, saved) {
  const copies = Object.values(saved.feedCopies ?? {}).map((c) => fromBase64(c));
  if (!copies.length) return;
  try {
    engine.setFeeds(copies);
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
  const untried = blocklistFeeds.some((f) => !feedStatus[f.url]);
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
  d.engine().setFeeds(Object.values(feedCopies).map(fromBase64));
}
