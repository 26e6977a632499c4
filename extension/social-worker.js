// The worker's side of the content script on Zalo, Facebook and Messenger (content/social.js).
// The content script only collects and shows; every judgement is the engine's. Page text sent
// here (links, what the user is typing) is judged in memory and never stored or sent on.
import { socialSites } from './engine/canhgiac.js';

let origins = null;
/** The chat and feed apps (`chat`: the notice, marked links and the personal-data warning) and
 * where invitation links land (`invite`: the notice only), as sets: the engine's list
 * (data/social_sites.tsv). Read once the engine has started, which every handler awaits. */
function sites() {
  if (!origins) {
    const { chat, invite } = socialSites();
    origins = { chat: new Set(chat), invite: new Set(invite) };
  }
  return origins;
}

/** Most text judged for personal data at once: a post, a comment or a profile field. */
const MAX_TEXT = 20_000;
/** Most links judged in one message; the content script sends smaller batches. */
const MAX_LINKS = 20_000;
/** Storage key of the notice state: `{[site]: {day, silenced}}`, a site being a registrable domain. */
const NOTICE_KEY = 'socialNotice';

/** The local calendar day, `YYYY-MM-DD`: the notice shows at most once a day per site. */
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The handlers for content-script messages, to spread into the worker's router. `engine()` gives
 * the live engine (which applies the policy's socialNotices); `showWarning(record, tabId)` opens the
 * warning page (a new tab when `tabId` is undefined; given the verdict, it notes a failed check);
 * `checked(check, url)` runs one verdict call and answers the engine's check_failed warning when
 * it faults; `afterFault(run, fallback)` runs `run` and, on a fault, `fallback` on a fresh engine.
 */
export function socialHandlers({ engine, platform, showWarning, checked, afterFault }) {
  /** Engine time spent on link batches, for the tests and the README's figures. */
  const stats = { linkBatches: 0, links: 0, marked: 0, engineMs: 0, maxBatchMs: 0, recentBatchMs: [], personalChecks: 0, personalMs: 0 };

  /**
   * The site a message comes from, or null unless it is our content script on one of the sites
   * (`landing` admits the invitation landing pages too, for the notice).
   */
  function siteOf(sender, { landing = false } = {}) {
    if (sender.id !== platform.runtime.id() || !sender.tab || typeof sender.url !== 'string') return null;
    try {
      const origin = new URL(sender.url).origin;
      return sites().chat.has(origin) || (landing && sites().invite.has(origin)) ? origin : null;
    } catch {
      return null;
    }
  }

  /**
   * The engine's marks for a packed batch. When the batch faults, a fresh engine marks the links
   * one line at a time, so the link that broke the check is marked with the failed check (its
   * address is the line up to the tab) and the others with their own verdicts.
   */
  const markLinks = (packed) => afterFault(() => engine().markLinks(packed), () => markOneByOne(packed));

  function markOneByOne(packed) {
    const marks = [];
    const verdicts = [];
    packed.split('\n').forEach((line, i) => {
      const failed = () => ({ marks: [0, 0], verdicts: [engine().uncheckedVerdict(line.split('\t')[0])] });
      const one = afterFault(() => engine().markLinks(line), failed);
      for (let k = 0; k < one.marks.length; k += 2) marks.push(i, verdicts.push(one.verdicts[one.marks[k + 1]]) - 1);
    });
    return { marks, verdicts };
  }

  /** The slim view of a verdict a marker needs: level, category and the reasons' messages. */
  const slim = (v) => ({ verdict: v.verdict, category: v.category, reasons: v.reasons.map((r) => ({ code: r.code, message: r.message })) });

  /** The network a page belongs to (`facebook.com` for www., web. and m.): one notice a day each. */
  const networkOf = (origin) => engine().registrableDomain(new URL(origin).hostname) ?? origin;

  /** The notice decisions, chained: each reads the state the previous one wrote. */
  let noticeTurn = Promise.resolve();

  async function noticeState() {
    const { [NOTICE_KEY]: state = {} } = await platform.storage.local.get(NOTICE_KEY);
    return state;
  }

  return {
    /** Whether the page at `message.url` (same site as the sender) gets the notice now. */
    async socialPage(message, sender) {
      const site = siteOf(sender, { landing: true });
      if (!site) return { error: 'not allowed' };
      // Links and typing are watched in the chat apps only; a landing page gets the notice alone.
      const watch = sites().chat.has(site);
      let url;
      try {
        url = new URL(message.url);
      } catch {
        return { notice: false, watch };
      }
      // Single-page apps change their address without loading: the script reports it, but only
      // an address on its own site counts.
      if (url.origin !== site) return { error: 'not allowed' };
      // The invitation's verdict when the page deserves the notice and the policy wants it, else null.
      const verdict = engine().socialNotice(url.href);
      if (!verdict) return { notice: false, watch };
      // One decision at a time: two tabs of the same site opening together get one notice.
      const decided = noticeTurn.then(async () => {
        const state = await noticeState();
        const network = networkOf(site);
        const mine = state[network] ?? {};
        if (mine.silenced || mine.day === today()) return false;
        state[network] = { ...mine, day: today() };
        await platform.storage.local.set({ [NOTICE_KEY]: state });
        return true;
      });
      noticeTurn = decided.catch(() => false);
      if (!(await decided)) return { notice: false, watch };
      return { notice: true, watch, reasons: slim(verdict).reasons, helpUrl: platform.url('help.html') };
    },

    /** The user asked not to see the notice on this site again. */
    async socialSilence(message, sender) {
      const site = siteOf(sender, { landing: true });
      if (!site) return { error: 'not allowed' };
      const done = noticeTurn.then(async () => {
        const state = await noticeState();
        const network = networkOf(site);
        state[network] = { ...(state[network] ?? {}), silenced: true };
        await platform.storage.local.set({ [NOTICE_KEY]: state });
      });
      noticeTurn = done.catch(() => {});
      await done;
      return { ok: true };
    },

    /** Opens the help page in a new tab (web pages may not open extension pages themselves). */
    async socialHelp(message, sender) {
      if (!siteOf(sender, { landing: true })) return { error: 'not allowed' };
      await platform.tabs.create({ url: platform.url('help.html'), openerTabId: sender.tab.id });
      return { ok: true };
    },

    /** Judges a batch of links packed as the engine's `markLinks` wants; answers what to mark. */
    async socialLinks(message, sender) {
      if (!siteOf(sender)) return { error: 'not allowed' };
      if (typeof message.links !== 'string') return { error: 'links must be a string' };
      const count = message.links ? message.links.split('\n').length : 0;
      if (count > MAX_LINKS) return { error: 'too many links' };
      const since = performance.now();
      const { marks, verdicts } = markLinks(message.links);
      const ms = performance.now() - since;
      Object.assign(stats, {
        linkBatches: stats.linkBatches + 1,
        links: stats.links + count,
        marked: stats.marked + marks.length / 2,
        engineMs: stats.engineMs + ms,
        maxBatchMs: Math.max(stats.maxBatchMs, ms),
        recentBatchMs: [...stats.recentBatchMs.slice(-49), ms],
      });
      return { marks: Array.from(marks), verdicts: verdicts.map(slim), engineMs: ms };
    },

    /**
     * A marked link was clicked: the engine judges it again (the page cannot vouch for its own
     * marks) and, when it still warns, the warning opens in a new tab so the chat stays open.
     */
    async socialOpenLink(message, sender) {
      if (!siteOf(sender)) return { error: 'not allowed' };
      if (typeof message.href !== 'string') return { error: 'bad link' };
      const text = typeof message.text === 'string' ? message.text.replace(/\s+/g, ' ').slice(0, 500) : '';
      const href = message.href.replace(/\s+/g, '');
      const judged = checked(() => engine().checkLink(href, text || null), href);
      if (!judged.warns) return { warned: false };
      const verdict = slim(judged);
      // The link text goes with the record: a link whose only fault is text showing another
      // address is judged with that text on the warning page too.
      await showWarning({ kind: 'link', url: href, linkText: text, frame: 0, topUrl: null }, undefined, judged);
      return { warned: true, verdict };
    },

    /** Personal data in text being written: `[{kind, start, end, masked, message}]`. Nothing is kept. */
    async socialPersonal(message, sender) {
      if (!siteOf(sender)) return { error: 'not allowed' };
      if (typeof message.text !== 'string') return { error: 'text must be a string' };
      const since = performance.now();
      const found = engine().findPersonalData(message.text.slice(0, MAX_TEXT));
      stats.personalChecks += 1;
      stats.personalMs += performance.now() - since;
      return { found };
    },

    /** The figures above, for the extension's own pages (tests read them from options.html). */
    async socialStats(message, sender) {
      if (sender.id !== platform.runtime.id() || !String(sender.url).startsWith(platform.origin())) return { error: 'not allowed' };
      return { ...stats };
    },
  };
}
