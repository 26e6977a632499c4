// Browser rules (declarativeNetRequest) the worker installs: the policy's dynamic rules, copies of
// the static app-package rules where this install's warning page is not the one they name, and
// per-tab bypass rules for "continue anyway". The engine (src/dnr.rs) writes every rule and owns
// their ids and priorities; this module only installs and removes them. Stop rules are
// navigation.js's; their ids come from the same layout.
import { bypassRule, ruleLayout } from './engine/canhgiac.js';
import * as platform from './platform.js';

export const WARNING_PAGE = platform.url('warning.html');

let ranges = null;
/** The session rule id ranges, `{staticCopyBase, stopBase, stopEnd, bypassBase}`, from the
 * engine: callable once the engine is loaded. */
export const layout = () => (ranges ??= ruleLayout());

/** Installs the policy's rules (dynamic ones, which outlive a browser restart: the admin's block
 * lists then hold from the first navigation after it, before a worker has started). */
export function publishPolicyRules(engine) {
  return platform.rules.replaceDynamic(engine.policyRules(WARNING_PAGE));
}

/**
 * The static app-package rules are written at build time with the warning page of the ID the
 * manifest key gives. Where the browser gave this copy another ID (a store's own, Firefox's
 * per-install origin), they would send tabs to a page that does not exist: the static ruleset is
 * then switched off and the same rules run as session rules pointing at this copy's page.
 */
export async function moveStaticRules() {
  const rules = await (await fetch(platform.url('rules/sideload.json'))).json();
  const target = (r) => r.action.redirect?.regexSubstitution;
  if (rules.every((r) => !target(r) || target(r).startsWith(WARNING_PAGE))) return;
  const { staticCopyBase, stopBase } = layout();
  // Keep what follows the page (`#\0`, the original address); change only the page.
  const suffix = (t) => (t.includes('#') ? t.slice(t.indexOf('#')) : '');
  const moved = rules.map((r) => ({
    ...r,
    id: staticCopyBase + r.id,
    action: target(r) ? { ...r.action, redirect: { regexSubstitution: WARNING_PAGE + suffix(target(r)) } } : r.action,
  }));
  await platform.rules.replaceSession((id) => id >= staticCopyBase && id < stopBase, moved);
  await platform.rules.disableStatic(rules.length ? ['sideload'] : []);
}

/** An update within a browser session may find the policy rules an earlier version kept as
 * session rules (ids below the static copies'); they are dynamic rules now. */
export function dropOldPolicyRules() {
  const { staticCopyBase } = layout();
  return platform.rules.replaceSession((id) => id < staticCopyBase, []);
}

/** Lets `tabId` load `scope` past the warning redirects (static and policy) until `until`. */
export async function allowInTab(tabId, scope, until) {
  const existing = await platform.rules.session();
  const id = Math.max(layout().bypassBase, ...existing.map((r) => r.id + 1));
  await platform.rules.updateSession([bypassRule(id, tabId, scope)]);
  await platform.storage.session.set({ [`bypassRule:${id}`]: { tabId, until } });
  platform.alarms.create(`bypass-expiry:${id}`, { when: until });
}

/** Whether `alarm` is the end of a bypass rule. */
export const isBypassAlarm = (alarm) => alarm.name.startsWith('bypass-expiry:');

/** Removes bypass rules that have expired, or belong to `closedTab`. */
export async function dropBypassRules(closedTab) {
  const all = await platform.storage.session.get(null);
  const gone = Object.entries(all)
    .filter(([k, v]) => k.startsWith('bypassRule:') && (v.tabId === closedTab || v.until <= Date.now()))
    .map(([k]) => k);
  if (!gone.length) return;
  await platform.rules.updateSession([], gone.map((k) => Number(k.slice('bypassRule:'.length))));
  await platform.storage.session.remove(gone);
}
