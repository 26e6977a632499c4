// The service worker: registers the listeners and routes every event and message to the module
// that handles it. It decides nothing itself; the engine does. State that must outlive the worker
// (pending warnings, bypasses, the last known policy, feed copies) lives in extension storage,
// never only in memory. A listener counts only if it is registered in the worker's first turn
// (its event then wakes the worker), so every one is registered here, synchronously, in order:
//   startup.js        the engine, its start-up and faults, the policy in force, timings
//   warnings.js       warning records, the warning page and its messages
//   browser-rules.js  the browser rules the worker installs (ids and shapes from src/dnr.rs)
//   feeds.js          the admin's block-list feeds
//   navigation.js, downloads.js, reports.js, lists.js, social-worker.js, contacts.js
import * as browserRules from './browser-rules.js';
import { contactHandlers } from './contacts.js';
import { setUpDownloads } from './downloads.js';
import * as feeds from './feeds.js';
import * as lists from './lists.js';
import { setUpNavigation } from './navigation.js';
import * as platform from './platform.js';
import * as reports from './reports.js';
import { socialHandlers } from './social-worker.js';
import * as startup from './startup.js';
import * as warnings from './warnings.js';

const { engine, checked, afterFault, effectivePolicy: policy, language } = startup;

// Started at once (a service worker may not await at top level); every handler awaits it.
const ready = startup.setUp();

reports.setUp({ ready, engine, policy, language, afterFault });
// Reports left waiting by an earlier worker or browser session go out now if their time has come.
reports.onWorkerStart().catch((e) => console.warn('report delivery', e));
warnings.setUp({ engine, checked, failedCheck: startup.failedCheck, policy, language });
feeds.setUp({ ready, engine, policy });

platform.storage.onChanged(async (changes, area) => {
  if (area !== 'managed') return;
  await ready;
  await startup.refreshManagedPolicy();
});

// ---- Navigations (navigation.js): a page the engine warns about is stopped and stays stopped.

setUpNavigation({
  ready,
  engine,
  failed: startup.failed,
  checked,
  bypassed: warnings.bypassed,
  noteVerdict: startup.noteVerdict,
  showWarning: warnings.showWarning,
  warningPage: browserRules.WARNING_PAGE,
  ownOrigin: platform.origin(),
});

platform.tabs.onRemoved(async (tabId) => {
  await platform.storage.session.remove(`tab:${tabId}`);
  await warnings.dropWarnings(tabId);
  await browserRules.dropBypassRules(tabId);
});

// ---- Downloads (downloads.js): a sideload is held until a verdict lets it through.

setUpDownloads({ ready, engine, checked, noteVerdict: startup.noteVerdict, showWarning: warnings.showWarning, afterFault });

platform.alarms.onAlarm((alarm) => {
  if (feeds.isFeedAlarm(alarm)) feeds.refresh();
  if (lists.isListAlarm(alarm)) ready.then(() => lists.refresh(engine, policy())).catch((e) => console.warn('built-in lists', e));
  if (alarm.name === 'reports') reports.onAlarm().catch((e) => console.warn('report delivery', e));
  if (browserRules.isBypassAlarm(alarm)) browserRules.dropBypassRules();
});

// ---- "Report this link" on the context menu of any link.

platform.runtime.onInstalled(() => {
  platform.menus.create({ id: 'report-link', title: platform.t('menuReportLink'), contexts: ['link'] });
  // The rule ids are the engine's: dropped once it has started.
  ready.then(browserRules.dropOldPolicyRules).catch((e) => console.warn('session rules', e));
});
platform.menus.onClicked((info, tab) => {
  if (info.menuItemId !== 'report-link' || !info.linkUrl) return;
  ready.then(() => reports.startReport({ linkUrl: info.linkUrl, tab })).catch((e) => console.warn('report', e));
});

// ---- The one message router. Only the extension's own pages may talk to it.

function fromOwnPage(sender, page) {
  return sender.id === platform.runtime.id() && typeof sender.url === 'string' && sender.url.startsWith(platform.url(page));
}

const handlers = {
  ...warnings.handlers(fromOwnPage),
  async tabVerdict(message, sender) {
    if (!fromOwnPage(sender, 'popup.html')) return { error: 'not allowed' };
    const key = `tab:${message.tabId}`;
    const { [key]: url } = await platform.storage.session.get(key);
    return url ? { url, verdict: checked(() => engine().checkUrl(url), url) } : { url: null, verdict: null };
  },
  ...startup.handlers(fromOwnPage),
  ...reports.handlers(fromOwnPage),
  ...contactHandlers({ policy, language, allowed: fromOwnPage }),
  ...socialHandlers({ engine, platform, showWarning: warnings.showWarning, checked, afterFault }),
};

platform.messages.onMessage(async (message, sender) => {
  const handler = handlers[message?.type];
  if (!handler) return { error: `unknown message ${message?.type}` };
  try {
    await ready;
  } catch {
    return message.type === 'stats' ? handlers.stats(message, sender) : { error: 'the engine could not start', engineError: startup.stats.engineError };
  }
  try {
    return await handler(message, sender);
  } catch (e) {
    // A fault in any engine call (a page's links, a report) leaves a fresh engine behind.
    if (startup.isFault(e)) startup.replaceEngine(e);
    throw e;
  }
});
