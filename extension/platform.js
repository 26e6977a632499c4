// Every browser API the extension uses, in one place: Chrome, Edge and Cốc Cốc expose `chrome`,
// Firefox exposes `browser` (and `chrome` with callbacks). Nothing else in the extension touches
// either directly, so a browser difference is fixed here once.

const api = globalThis.browser ?? globalThis.chrome;

/** The extension's own URL for a packaged file. */
export const url = (path) => api.runtime.getURL(path);
/** The extension's origin, e.g. `chrome-extension://<id>/`. */
export const origin = () => api.runtime.getURL('');
/** The manifest version string. */
export const version = () => api.runtime.getManifest().version;
/** A localised UI string from `_locales`. */
export const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;
/**
 * UI strings of one packaged language (`vi`, `en`), for when policy sets a language other than
 * the browser's. Read from the extension's own `_locales`, never from the network; same
 * placeholders as `t`.
 */
export async function messagesIn(lang) {
  const table = await (await fetch(api.runtime.getURL(`_locales/${lang}/messages.json`))).json();
  return (key, ...subs) => {
    const entry = table[key];
    if (!entry) return key;
    // Placeholder names are case-insensitive, as in chrome.i18n.
    const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
    const named = (name) => (placeholders[name.toLowerCase()] ?? '').replace(/\$(\d)/g, (_, n) => String(subs[n - 1] ?? ''));
    return entry.message.replace(/\$([A-Za-z_]+)\$/g, (_, name) => named(name));
  };
}
/** The browser UI language, e.g. `vi` or `en-US`. */
export const uiLanguage = () => api.i18n.getUILanguage();
/** A short browser name and version for reports. */
export const browserName = () => {
  const brands = globalThis.navigator?.userAgentData?.brands ?? [];
  const b = brands.find((x) => !/not.a.brand|chromium/i.test(x.brand)) ?? brands.find((x) => /chromium/i.test(x.brand));
  return b ? `${b.brand} ${b.version}` : globalThis.navigator?.userAgent ?? 'unknown';
};

export const storage = {
  /** Values that survive browser restarts. */
  local: {
    get: (keys) => api.storage.local.get(keys),
    set: (items) => api.storage.local.set(items),
    remove: (keys) => api.storage.local.remove(keys),
  },
  /** Values that survive the service worker being stopped, but not the browser closing. */
  session: {
    get: (keys) => (api.storage.session ?? api.storage.local).get(keys),
    set: (items) => (api.storage.session ?? api.storage.local).set(items),
    remove: (keys) => (api.storage.session ?? api.storage.local).remove(keys),
  },
  /** The admin's managed policy; `{}` where the browser has none or does not support it. */
  managed: async () => {
    try {
      return (await api.storage.managed?.get(null)) ?? {};
    } catch {
      return {};
    }
  },
  /** Calls `fn(changes, areaName)` on any storage change. */
  onChanged: (fn) => api.storage.onChanged.addListener(fn),
};

/**
 * Byte values that survive browser restarts: the compact copies of lists and feeds, in
 * IndexedDB. `storage.local` holds JSON only, so a copy there is base64 text, and a
 * 1,000,000-entry feed's copy took ~150 ms to read back at every worker start.
 */
export const bytes = (() => {
  const STORE = 'copies';
  let opened = null;
  const open = () =>
    (opened ??= new Promise((resolve, reject) => {
      const req = indexedDB.open('canhgiac', 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    }).catch((e) => {
      opened = null;
      throw e;
    }));
  const finished = (tx) =>
    new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  return {
    /** Every value kept whose key starts with `prefix` (all when empty), as `{key: Uint8Array}`. */
    async all(prefix = '') {
      const tx = (await open()).transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const range = prefix ? IDBKeyRange.bound(prefix, `${prefix}\uffff`) : null;
      const keys = store.getAllKeys(range);
      const values = store.getAll(range);
      await finished(tx);
      return Object.fromEntries(keys.result.map((k, i) => [k, values.result[i]]));
    },
    /** Replaces every value whose key starts with `prefix` by `entries` (`{key: bytes}`), at once. */
    async replace(prefix, entries) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
      for (const [key, value] of Object.entries(entries)) store.put(value, key);
      await finished(tx);
    },
  };
})();

export const navigation = {
  onBeforeNavigate: (fn) => api.webNavigation.onBeforeNavigate.addListener(fn),
  onCommitted: (fn) => api.webNavigation.onCommitted.addListener(fn),
  onHistoryStateUpdated: (fn) => api.webNavigation.onHistoryStateUpdated.addListener(fn),
  onCompleted: (fn) => api.webNavigation.onCompleted.addListener(fn),
  /** A page opened a new tab or window (`sourceTabId` → `tabId`). */
  onCreatedNavigationTarget: (fn) => api.webNavigation.onCreatedNavigationTarget.addListener(fn),
};

export const tabs = {
  update: (tabId, props) => api.tabs.update(tabId, props),
  create: (props) => api.tabs.create(props),
  activeTabId: async () => (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id,
  onRemoved: (fn) => api.tabs.onRemoved.addListener(fn),
  goBack: (tabId) => api.tabs.goBack(tabId),
  /** Closes a tab; the page in it cannot keep it open. */
  remove: (tabId) => api.tabs.remove(tabId),
  /** How many tabs the window of `tabId` has (0 when the tab is gone). */
  inWindowOf: async (tabId) => {
    const tab = await api.tabs.get(tabId).catch(() => null);
    return tab ? (await api.tabs.query({ windowId: tab.windowId })).length : 0;
  },
  /** A tab's details (URL and title need the host permission the extension has), or null. */
  get: (tabId) => api.tabs.get(tabId).catch(() => null),
  /** A JPEG of what the window shows now, as a `data:` URL; null when the page cannot be captured. */
  capture: (windowId, quality) => api.tabs.captureVisibleTab(windowId, { format: 'jpeg', quality }).catch(() => null),
};

/** The browser's new-tab page, for a tab that has nothing safe to go back to. */
export const newTabUrl = () => (globalThis.browser ? 'about:newtab' : 'chrome://newtab/');

export const scripting = {
  /** Runs `func(...args)` in one frame of a tab, in the extension's isolated world. */
  inFrame: (tabId, frameId, func, args) => api.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, func, args }),
};

export const webRequest = {
  /**
   * Firefox waits for a blocking listener's promise; Chromium takes only an answer given at once.
   * (Firefox alone exposes `browser`.)
   */
  waitsForPromise: Boolean(globalThis.browser),
  /**
   * Adds a blocking onBeforeRequest listener for `types`. Chromium calls it only for an extension
   * installed by policy (Manifest V3 keeps webRequestBlocking there alone; elsewhere it registers
   * without error and is never called); Firefox calls it for every install.
   */
  onBeforeRequestBlocking: (fn, types) => {
    try {
      api.webRequest?.onBeforeRequest.addListener(fn, { urls: ['<all_urls>'], types }, ['blocking']);
    } catch (e) {
      console.info('blocking webRequest not available:', e.message ?? e);
    }
  },
};

export const menus = {
  /** Adds a context-menu item (again after an update; an existing id is replaced). */
  create: async (props) => {
    const m = api.contextMenus ?? api.menus;
    if (!m) return;
    await m.remove(props.id).catch(() => {});
    m.create(props);
  },
  onClicked: (fn) => (api.contextMenus ?? api.menus)?.onClicked.addListener(fn),
};

export const badge = {
  set: async (tabId, text, title) => {
    await api.action.setBadgeText({ tabId, text });
    if (text) await api.action.setBadgeBackgroundColor({ tabId, color: '#1b7f3b' });
    if (title) await api.action.setTitle({ tabId, title });
  },
  /** The badge of every tab that has none of its own: an alarm, in red, on the alarm icon. */
  alarm: async (text, title) => {
    // The text last: once it shows, the title, icon and colour are already in place.
    await api.action.setTitle({ title });
    // The alarm icon is a second signal: the badge below must show even if the icon cannot change.
    await api.action.setIcon({ path: { 16: 'icons/alarm-16.png', 32: 'icons/alarm-32.png' } }).catch(() => {});
    await api.action.setBadgeBackgroundColor({ color: '#b3261e' });
    await api.action.setBadgeText({ text });
  },
};

export const downloads = {
  /** Whether the browser lets us see a download's file name before it is written. */
  canDetermineFilename: () => Boolean(api.downloads.onDeterminingFilename),
  onDeterminingFilename: (fn) => api.downloads.onDeterminingFilename.addListener(fn),
  onCreated: (fn) => api.downloads.onCreated.addListener(fn),
  pause: (id) => api.downloads.pause(id),
  resume: (id) => api.downloads.resume(id),
  cancel: (id) => api.downloads.cancel(id),
  erase: (id) => api.downloads.erase({ id }),
  removeFile: (id) => api.downloads.removeFile(id),
  /** Starts a download of `url`, saved as `filename` (a path's last part) when one is given. */
  start: ({ url, filename }) => api.downloads.download(filename ? { url, filename: filename.split(/[\\/]/).pop() } : { url }),
  search: (query) => api.downloads.search(query),
  onChanged: (fn) => api.downloads.onChanged.addListener(fn),
  onErased: (fn) => api.downloads.onErased.addListener(fn),
};

export const responses = {
  /**
   * Whether the browser lets the extension hold a response until it has decided (blocking
   * webRequest, which Firefox keeps in Manifest V3) and has no earlier download hook: there the
   * response headers are the last moment before a download's body is written.
   */
  canHold: () => !api.downloads?.onDeterminingFilename && Boolean(api.webRequest?.onHeadersReceived),
  /** Calls `fn(details)` with each response's headers of `types`; its promise of a blocking
   * answer (`{cancel: true}` or `{}`) holds the response until it settles. */
  onHeadersReceived: (fn, types) =>
    api.webRequest.onHeadersReceived.addListener(fn, { urls: ['<all_urls>'], types }, ['blocking', 'responseHeaders']),
  /** Calls `fn(details)` when a request is redirected (`details.url` is the address it left). */
  onBeforeRedirect: (fn, types) => api.webRequest.onBeforeRedirect.addListener(fn, { urls: ['<all_urls>'], types }),
};

/** Whether `got` (a rule as the browser reports it, defaults filled in) has every field of `want`. */
function holds(want, got) {
  if (want === null || typeof want !== 'object') return want === got;
  if (got === null || typeof got !== 'object' || Array.isArray(want) !== Array.isArray(got)) return false;
  if (Array.isArray(want) && want.length !== got.length) return false;
  return Object.keys(want).every((k) => holds(want[k], got[k]));
}

/** The dynamic-rule replacement in progress, if any. */
let dynamicQueue = Promise.resolve();

export const rules = {
  /** Replaces the session rules whose id `owned(id)` accepts with `list`; others stay. */
  replaceSession: async (owned, list) => {
    const old = await api.declarativeNetRequest.getSessionRules();
    await api.declarativeNetRequest.updateSessionRules({ removeRuleIds: old.filter((r) => owned(r.id)).map((r) => r.id), addRules: list });
  },
  /** Replaces every dynamic rule (they outlive a browser restart) with `list`. The browser writes
   * them to disk, so a list it already holds (each worker start publishes again) is not rewritten. */
  replaceDynamic: (list) => {
    // One replacement at a time: two at once (the stored policy published at start while the
    // managed one arrives) would both remove the same old rules and add clashing ids.
    dynamicQueue = dynamicQueue.catch(() => {}).then(async () => {
      const old = await api.declarativeNetRequest.getDynamicRules();
      const byId = new Map(old.map((r) => [r.id, r]));
      if (old.length === list.length && list.every((r) => holds(r, byId.get(r.id)))) return;
      await api.declarativeNetRequest.updateDynamicRules({ removeRuleIds: old.map((r) => r.id), addRules: list });
    });
    return dynamicQueue;
  },
  /** This extension's session rules. */
  session: () => api.declarativeNetRequest.getSessionRules(),
  /** Switches off static rulesets (by manifest id). */
  disableStatic: (ids) => api.declarativeNetRequest.updateEnabledRulesets({ disableRulesetIds: ids }),
  /** Adds and removes session rules by id. */
  updateSession: (addRules, removeRuleIds = []) => api.declarativeNetRequest.updateSessionRules({ addRules, removeRuleIds }),
};

export const alarms = {
  create: (name, info) => api.alarms.create(name, info),
  /** The alarm named `name`, or undefined. */
  get: (name) => api.alarms.get(name),
  clear: (name) => api.alarms.clear(name),
  onAlarm: (fn) => api.alarms.onAlarm.addListener(fn),
};

export const messages = {
  /** Registers the one message router; `fn(message, sender)` returns a promise of the answer. */
  onMessage: (fn) =>
    api.runtime.onMessage.addListener((message, sender, respond) => {
      Promise.resolve(fn(message, sender)).then(respond, (e) => respond({ error: String(e?.message ?? e) }));
      return true;
    }),
  /** Sends a message to the service worker and returns its answer. */
  send: (message) => api.runtime.sendMessage(message),
};

export const runtime = {
  onInstalled: (fn) => api.runtime.onInstalled.addListener(fn),
  openOptions: () => api.runtime.openOptionsPage(),
  id: () => api.runtime.id,
};
