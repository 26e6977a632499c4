// The options page: what the admin manages, every policy problem in plain words, feed status,
// and the few settings a user may change. The worker and the engine decide what applies.
import * as platform from './platform.js';
import { el, fill, setPage } from './ui.js';

const t = platform.t;
const root = document.getElementById('options');
// The page speaks the browser's UI language (its strings come from _locales), so each problem is
// shown in that same language; the engine sends both. Vietnamese unless the browser is English.
const pageLang = platform.uiLanguage().toLowerCase().startsWith('en') ? 'en' : 'vi';

/** A problem's explanation in the page's language; English if a Vietnamese one were ever missing. */
const problemText = (p) => (pageLang === 'vi' && p.messageVi ? p.messageVi : p.message);

function problemsList(problems, id) {
  if (!problems?.length) return el('p', { id, class: 'note' }, t('optNoProblems'));
  return el('ul', { id }, problems.map((p) => el('li', { 'data-key': p.key, 'data-severity': p.severity }, `${p.key}: ${problemText(p)}`)));
}

function feedsList(status, feeds) {
  if (!feeds.length) return null;
  return [
    el('h2', {}, t('optFeeds')),
    el(
      'ul',
      { id: 'feeds' },
      feeds.map((f) => {
        const s = status[f.url] ?? {};
        return el(
          'li',
          { 'data-url': f.url },
          el('strong', {}, f.url),
          s.entries !== undefined && [' — ', t('optFeedEntries', s.entries)],
          s.lastSuccess && el('div', { class: 'note' }, t('optFeedLastSuccess', s.lastSuccess)),
          s.lastError && el('div', { class: 'note feed-error' }, t('optFeedLastError', s.lastError)),
        );
      }),
    ),
  ];
}

function render(status) {
  const managed = new Set(status.managedKeys);
  const user = status.userOptions ?? {};
  const eff = status.effective;
  const lockedNote = (key) => managed.has(key) && el('span', { class: 'note managed', 'data-key': key }, ` (${t('optManaged')})`);
  const language = el(
    'select',
    { id: 'language', disabled: managed.has('language') },
    ['auto', 'vi', 'en'].map((v) => el('option', { value: v, selected: eff.language === v }, v === 'auto' ? t('optLanguageAuto') : v === 'vi' ? 'Tiếng Việt' : 'English')),
  );
  const social = el('input', { type: 'checkbox', id: 'socialNotices', checked: eff.socialNotices, disabled: managed.has('socialNotices') });
  const blocked = el('textarea', { id: 'blockedDomains', rows: 5, cols: 40 }, (user.blockedDomains ?? []).join('\n'));
  const saved = el('p', { class: 'note', id: 'saved' });
  const save = el('button', { type: 'button', class: 'primary', id: 'save' }, t('optSave'));
  save.addEventListener('click', async () => {
    const options = { ...user, blockedDomains: blocked.value.split('\n').map((s) => s.trim()).filter(Boolean) };
    if (!managed.has('language')) options.language = language.value;
    if (!managed.has('socialNotices')) options.socialNotices = social.checked;
    const next = await platform.messages.send({ type: 'setUserOptions', options });
    render({ ...next, userOptions: options, feedStatus: status.feedStatus });
    document.getElementById('saved').textContent = t('optSaved');
  });
  fill(
    root,
    el('h1', {}, t('optTitle')),
    el('h2', {}, t('optManaged')),
    el('ul', { id: 'managed-keys' }, [...managed].map((k) => el('li', {}, k))),
    el('h2', {}, t('optProblems')),
    problemsList([...status.adminProblems, ...status.userProblems], 'problems'),
    feedsList(status.feedStatus ?? {}, eff.blocklistFeeds),
    el('h2', {}, t('optEffective')),
    el('p', {}, el('label', {}, t('optLanguage'), ' ', language, lockedNote('language'))),
    el('p', {}, el('label', {}, social, ' ', t('optSocial'), lockedNote('socialNotices'))),
    el('p', {}, el('label', {}, t('optBlocked'), el('br'), blocked)),
    el('div', { class: 'actions' }, save),
    saved,
    el('pre', { id: 'effective', class: 'note' }, JSON.stringify(eff, null, 2)),
  );
  document.body.dataset.ready = 'true';
}

async function main() {
  setPage(pageLang, t('optTitle'));
  const status = await platform.messages.send({ type: 'policyStatus' });
  if (status?.engineError) {
    // Nothing here can apply without the engine; say so rather than show settings.
    fill(
      root,
      el('h1', {}, t('optTitle')),
      el('p', { class: 'state block', id: 'engine-failed' }, t('popupEngineFailed')),
      el('p', { class: 'note', id: 'engine-error' }, status.engineError),
    );
    document.body.dataset.ready = 'true';
    return;
  }
  render(status);
}

main();
