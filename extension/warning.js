// The warning page. It shows what the worker tells it, and trusts nothing in its own URL: the
// id (or, after a declarativeNetRequest redirect, the address) is only a question put to the
// worker, which judges again with the engine and answers only for this tab.
import * as platform from './platform.js';
import { browserLanguage } from './language.js';
import { contactLines, el, fill, hostLine, setPage } from './ui.js';

/** UI strings: the browser's language until the worker says which language policy wants. */
let t = platform.t;
const root = document.getElementById('warning');

function question() {
  const id = new URLSearchParams(location.search).get('id');
  // The history length lets the worker tell whether anything safe lies behind this page.
  if (id) return { type: 'warning', id, historyLength: history.length };
  // `hold`: a request stopped while the engine started, to be let through if the engine allows it.
  const hold = new URLSearchParams(location.search).get('hold') === '1';
  if (location.hash.length > 1) return { type: 'warning', url: location.hash.slice(1), hold, historyLength: history.length };
  return null;
}

function storeLinks(app) {
  const q = encodeURIComponent(app);
  return el(
    'p',
    {},
    el('a', { href: `https://play.google.com/store/search?q=${q}&c=apps`, target: '_blank', rel: 'noopener' }, t('warnSearchPlay', app)),
    ' · ',
    el('a', { href: `https://www.apple.com/vn/search/${q}?src=serp`, target: '_blank', rel: 'noopener' }, t('warnSearchAppStore', app)),
  );
}

function helpSection(answer, kind) {
  const report = async (e) => {
    e.target.disabled = true;
    // The screenshot that goes with the report shows the warning from its top: title and address.
    window.scrollTo(0, 0);
    const res = await platform.messages.send({ type: 'reportWarning', id: answer.id });
    if (res?.error) e.target.after(el('p', { class: 'note', role: 'alert' }, res.error));
    e.target.disabled = false;
  };
  return el(
    'section',
    { class: 'help', 'aria-labelledby': 'help-title' },
    el('h2', { id: 'help-title' }, t('warnHelp')),
    el('p', {}, el('button', { type: 'button', id: 'report', onclick: report }, t(`warnReport_${kind}`))),
    contactLines(t, answer.contact, answer.police),
    el('p', {}, el('a', { href: platform.url('help.html') }, t('warnHelpPage'))),
  );
}

function continueSection(answer) {
  const { verdict, kind, id } = answer;
  if (!(verdict.bypassMinutes > 0)) return el('p', { class: 'note', id: 'no-continue' }, t('warnNoContinue'));
  const label = kind === 'download' ? t('warnContinueDownload') : t('warnContinueButton', verdict.bypassMinutes);
  const button = el('button', { type: 'button', id: 'continue', disabled: true }, label);
  const box = el('input', { type: 'checkbox', id: 'understand', onchange: (e) => (button.disabled = !e.target.checked) });
  button.addEventListener('click', async () => {
    button.disabled = true;
    const res = await platform.messages.send({ type: 'continue', id });
    if (res?.error) button.after(el('p', { class: 'note', role: 'alert' }, res.error));
  });
  return el(
    'details',
    { class: 'continue' },
    el('summary', {}, t('warnContinueSummary')),
    el('label', {}, box, t('warnContinueConfirm')),
    button,
  );
}

/** "Go back to safety": back past every page Cảnh Giác stopped in this tab, as the worker plans
 * it; with nothing safe behind, the button says it closes the tab (or opens a new-tab page). */
function backButton(plan) {
  const action = plan?.action ?? 'back';
  const label = { back: t('warnBack'), close: t('warnBackCloses'), newtab: t('warnBackNewTab') }[action];
  const go = async () => {
    // The worker plans again: the tab may have moved since the page was drawn.
    const now = await platform.messages.send({ type: 'leave', historyLength: history.length });
    if (now?.action === 'back') history.go(-now.steps);
  };
  return el(
    'span',
    {},
    el('button', { type: 'button', class: 'primary', id: 'back', 'data-action': action, onclick: go }, label),
    action !== 'back' && el('p', { class: 'note', id: 'nothing-behind' }, t(action === 'close' ? 'warnNothingBehindClose' : 'warnNothingBehindNewTab')),
  );
}

/** The kinds the engine names in `warningKind`, each with its own title, lead, steps and report
 * button in the locales; anything else gets the general wording. */
const KINDS = new Set(['app_file', 'program', 'lookalike', 'org_list', 'community_list', 'check_failed', 'unsafe_link', 'suspicious']);

function render(answer) {
  const { verdict, kind, url } = answer;
  const isDownload = kind === 'download';
  const warning = KINDS.has(verdict.warningKind) ? verdict.warningKind : 'suspicious';
  const title = isDownload ? t('warnTitleDownload') : t(`warnTitle_${warning}`);
  setPage(answer.lang, title);
  document.body.dataset.kind = warning;
  // The app the link promised ("VNeID" from VNeID.apk), named by the engine, for a store search.
  const { app } = verdict;
  const fileName = isDownload ? answer.download?.filename?.split(/[\\/]/).pop() : null;
  const steps = t(`warnSteps_${warning}`).split('\n').filter(Boolean);
  fill(
    root,
    el('h1', {}, title),
    el('p', { class: 'lead', id: 'lead' }, t(`warnLead_${warning}`)),
    // The safe way out comes first, on screen and in the Tab order, and has the focus.
    el(
      'div',
      { class: 'actions' },
      backButton(answer.leave),
      el('button', { type: 'button', id: 'close', onclick: () => window.close() }, t('warnClose')),
    ),
    fileName && el('p', { class: 'site file' }, el('span', { class: 'label' }, t('warnFile')), fileName),
    el(
      'div',
      { class: 'site', id: 'site' },
      el('span', { class: 'label' }, t(isDownload ? 'warnFrom' : 'warnSite')),
      hostLine(verdict.host, verdict.registrableDomain),
      // An internationalised name is shown both ways: the letters people see, and the
      // punycode that reveals look-alike characters.
      verdict.hostAscii && verdict.hostAscii !== verdict.host && el('div', { class: 'note punycode', id: 'punycode' }, verdict.hostAscii),
      el('div', { class: 'note url' }, url),
    ),
    verdict.imitates &&
      el(
        'p',
        { class: 'didyoumean' },
        el('a', { href: `https://${verdict.imitates}/`, id: 'did-you-mean' }, t('warnDidYouMean', verdict.imitates)),
      ),
    el('h2', {}, t('warnWhy')),
    el('ul', { class: 'reasons', id: 'reasons' }, verdict.reasons.map((r) => el('li', { 'data-code': r.code }, r.message))),
    el('h2', {}, t('warnWhatNow')),
    el('ol', { class: 'steps', id: 'steps' }, steps.map((s) => el('li', {}, s))),
    app && storeLinks(app),
    helpSection(answer, warning),
    continueSection(answer),
  );
  document.getElementById('back').focus();
}

async function main() {
  setPage(browserLanguage(), t('extName'));
  const q = question();
  const answer = q ? await platform.messages.send(q) : null;
  if (answer?.engineError) {
    // Only a rule the browser runs by itself (an app file's address, the block lists) can have
    // sent the tab here while the engine is down.
    fill(
      root,
      el('h1', {}, t('warnTitleNavigation')),
      el('p', { id: 'engine-stopped' }, t('warnStoppedWithoutEngine')),
      el('p', { class: 'note', id: 'engine-failed' }, t('popupEngineFailed')),
      el('button', { type: 'button', id: 'close', onclick: () => window.close() }, t('warnClose')),
    );
    document.getElementById('close').focus();
    document.body.dataset.ready = 'true';
    return;
  }
  if (typeof answer?.go === 'string') {
    // The held address is not one to warn about: on to it, in place of this page.
    location.replace(answer.go);
    return;
  }
  if (answer?.error === 'framed') {
    // Shown in a frame: what the frame held is stopped here, and the tab is sent to the warning.
    fill(root, el('h1', {}, t('extName')), el('p', { id: 'frame-stopped' }, t('warnFrameStopped')));
    document.body.dataset.ready = 'framed';
    return;
  }
  if (!answer || answer.error) {
    fill(root, el('h1', {}, t('extName')), el('p', {}, t('warnUnknown')));
    return;
  }
  if (answer.lang !== browserLanguage()) t = await platform.messagesIn(answer.lang);
  render(answer);
  document.body.dataset.ready = 'true';
}

main();
