// The popup: the current tab's verdict at a glance, as the worker judged it.
import * as platform from './platform.js';
import { browserLanguage } from './language.js';
import { el, fill, hostLine, setPage } from './ui.js';

const t = platform.t;
const STATE_TEXT = { allow: 'popupSafe', official: 'popupOfficial', info: 'popupInfo', warn: 'popupDanger', block: 'popupDanger' };
/** What to do, for the states that need advice. */
const ADVICE = { info: 'popupInfoAdvice', warn: 'popupDangerAdvice', block: 'popupDangerAdvice' };

async function main() {
  const root = document.getElementById('popup');
  setPage(browserLanguage(), t('extName'));
  // The tab the popup was opened over; `?tab=<id>` names another (the popup opened as a page).
  const named = Number.parseInt(new URLSearchParams(location.search).get('tab') ?? '', 10);
  const tabId = Number.isInteger(named) ? named : await platform.tabs.activeTabId();
  const answer = tabId === undefined ? null : await platform.messages.send({ type: 'tabVerdict', tabId });
  const v = answer?.verdict;
  const broken = Boolean(answer?.engineError);
  fill(
    root,
    el('h1', {}, t('extName')),
    broken && el('p', { class: 'state block', id: 'state', 'data-verdict': 'engine_failed' }, t('popupEngineFailed')),
    broken && el('p', { class: 'note', id: 'engine-error' }, answer.engineError),
    !v && !broken && el('p', { class: 'state allow', id: 'state' }, t('popupNoPage')),
    v && el('p', { class: `state ${v.verdict}`, id: 'state', 'data-verdict': v.verdict }, t(STATE_TEXT[v.verdict])),
    v && ADVICE[v.verdict] && el('p', { class: 'advice', id: 'advice' }, t(ADVICE[v.verdict])),
    v?.host && el('p', { class: 'site' }, hostLine(v.host, v.registrableDomain)),
    v?.reasons.length > 0 && el('ul', { id: 'reasons' }, v.reasons.map((r) => el('li', { 'data-code': r.code }, r.message))),
    el(
      'div',
      { class: 'actions' },
      el(
        'button',
        {
          type: 'button',
          id: 'report',
          disabled: !v,
          onclick: async () => {
            const res = await platform.messages.send({ type: 'reportStartTab', tabId });
            if (res?.error) root.append(el('p', { class: 'note', id: 'report-error', role: 'alert' }, res.error));
            else window.close();
          },
        },
        t('popupReport'),
      ),
    ),
    el(
      'nav',
      { class: 'more', 'aria-label': t('popupMore') },
      el('a', { href: platform.url('report.html'), target: '_blank', id: 'my-reports' }, t('repYourReports')),
      el('button', { type: 'button', class: 'link', id: 'options', onclick: () => platform.runtime.openOptions() }, t('popupOptions')),
      el('a', { href: platform.url('help.html'), target: '_blank', id: 'help' }, t('popupHelp')),
    ),
    el('p', { class: 'note' }, t('popupEngine')),
  );
  document.body.dataset.ready = 'true';
}

main();
