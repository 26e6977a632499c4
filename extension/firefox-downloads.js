// Firefox's download hold. Firefox has no downloads.onDeterminingFilename, and by the time it
// reports a download (downloads.onCreated) a small file sent in one burst is already on disk. It
// does keep blocking webRequest: a response is held at its headers, where Content-Disposition and
// the MIME type are known and not one byte of the body has been written. The engine judges the
// same facts the Chromium path gives it (checkDownload); this module only gathers them and acts.
// Where the browser has the earlier hook (Chromium), nothing here is registered.
import * as platform from './platform.js';

/** Responses that can become a download or feed one: a tab or frame navigating to a file, an
 * <object>, a page fetching the bytes to save them as a blob, a downloads.download() request. */
const TYPES = ['main_frame', 'sub_frame', 'object', 'xmlhttprequest', 'other'];

/** MIME types Firefox shows in place rather than saving, and that no app package is sent as; a
 * response of one of them without `Content-Disposition: attachment` is not a download. */
const SHOWN_IN_PLACE = /^(text\/|image\/|audio\/|video\/|font\/|application\/(xhtml\+xml|xml|json|javascript|ecmascript|pdf|wasm)$)/;

/** How many redirected requests keep their first address while in flight; requests that fail
 * after a redirect never reach the final headers, and must not grow the table without end. */
const REDIRECTS_KEPT = 512;

/** Reasons whose detail is the file's name as the engine read it (from Content-Disposition). */
const NAMING_REASONS = new Set(['app_package_file', 'executable_file']);

const header = (details, name) => details.responseHeaders?.find((h) => h.name.toLowerCase() === name)?.value ?? null;

/** Whether this response would be saved rather than shown: the browser's behaviour, not a verdict. */
function wouldSave(details) {
  const disposition = header(details, 'content-disposition');
  if (disposition && /^\s*attachment/i.test(disposition)) return true;
  const mime = (header(details, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  return !SHOWN_IN_PLACE.test(mime);
}

/**
 * Firefox's download hold. `judge(facts)` is the engine's verdict on checkDownload facts and
 * `judgeItem(item)` on a downloads item; `warn(record, verdict)`
 * shows the warning page for a response held at its headers, `holdItem(item, verdict)` cancels a
 * download already made and removes its file; `takeGrant({url, finalUrl})` uses up the user's
 * "continue anyway" for that file, if there is one.
 */
export function holdFirefoxDownloads({ ready, judge, judgeItem, warn, holdItem, takeGrant }) {
  const atHeaders = platform.responses.canHold();
  if (atHeaders) holdResponses({ ready, judge, warn, takeGrant });
  // What webRequest never sees (a page's own blob: or data: file), or every download where the
  // browser has no blocking webRequest: judged once the download exists, and removed if it warns.
  // Never paused: Firefox cannot resume a download from a server without ranges, so a pause
  // would break ordinary files.
  platform.downloads.onCreated(async (item) => {
    if (atHeaders && /^https?:/i.test(item.url)) return;
    await ready;
    const verdict = judgeItem(item);
    if (verdict.warns && !(await takeGrant(item))) await holdItem(item, verdict);
  });
}

/** Holds responses that would download at their headers (see holdFirefoxDownloads). */
function holdResponses({ ready, judge, warn, takeGrant }) {
  /** requestId → the address a redirected request started from. */
  const firstUrls = new Map();
  platform.responses.onBeforeRedirect((d) => {
    if (firstUrls.has(d.requestId)) return;
    if (firstUrls.size >= REDIRECTS_KEPT) firstUrls.delete(firstUrls.keys().next().value);
    firstUrls.set(d.requestId, d.url);
  }, TYPES);
  platform.responses.onHeadersReceived(async (details) => {
    // A redirect's own headers: the next hop is judged when its headers come.
    if (details.statusCode >= 300 && details.statusCode < 400) return {};
    const first = firstUrls.get(details.requestId);
    firstUrls.delete(details.requestId);
    if (details.url.startsWith(platform.origin()) || !wouldSave(details)) return {};
    const facts = {
      url: first ?? details.url,
      finalUrl: details.url,
      filename: null,
      mime: header(details, 'content-type'),
      referrer: details.originUrl ?? details.documentUrl ?? null,
      contentDisposition: header(details, 'content-disposition'),
    };
    try {
      await ready;
    } catch {
      // No engine (the toolbar button says so): a response is not held for ever on its account.
      return {};
    }
    const verdict = judge(facts);
    if (!verdict.warns || (await takeGrant(facts))) return {};
    // The file's name, as the engine read it, for the warning, a report and "continue anyway"
    // (Firefox names a downloads.download() file after its URL, not its Content-Disposition).
    const filename = verdict.reasons.find((r) => NAMING_REASONS.has(r.code))?.detail ?? null;
    // The warning is shown after the answer: the response must be cut before any wait.
    warn({ kind: 'download', url: facts.finalUrl, download: { ...facts, filename } }, verdict).catch((e) => console.warn('download warning', e));
    return { cancel: true };
  }, TYPES);
}
