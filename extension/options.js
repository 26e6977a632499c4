// The options page: what the admin manages, every policy problem in plain words, feed status,
// and the few settings a user may change. The worker and the engine decide what applies.
import * as platform from './platform.js';
import { browserLanguage } from './language.js';
import { el, fill, setPage } from './ui.js';

const t = platform.t;
const root = document.getElementById('options');
// The page speaks the browser's UI language (its strings come from _locales), so each problem is
// shown in that same language; the engine sends both. Vietnamese unless the browser is English.
const pageLang = browserLanguage();

/** A problem's explanation in the page's language; English if a Vietnamese one were ever missing. */
const problemText = (p) => (pageLang === 'vi' && p.messageVi ? p.messageVi : p.message);

/** A policy key's name as people read it; the key itself follows for the administrator. */
function keyTitle(key) {
  const top = String(key).split(/[.[]/)[0];
  const title = t(`optKey_${top}`);
  // An unknown key (a typo the problem is about) has no title: its name alone is shown.
  return title !== `optKey_${top}` ? [title, ' ', el('code', {}, `(${key})`)] : [el('code', {}, key)];
}

/** A managed value in words: lists joined, yes/no, a contact's fields; never `null`. */
function valueText(value) {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return t('optNotSet');
  if (typeof value === 'boolean') return value ? t('optYes') : t('optNo');
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? v.url ?? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') {
    const parts = Object.values(value).filter((v) => v !== null && v !== undefined && v !== '');
    return parts.length ? parts.join(' · ') : t('optNotSet');
  }
  return String(value);
}

/** The settings in force as JSON for IT staff, without the keys (at any depth) that hold nothing. */
function withoutEmpty(obj) {
  const kept = Object.entries(obj)
    .map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? withoutEmpty(v) : v])
    .filter(([, v]) => v !== null && v !== undefined && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
  return Object.fromEntries(kept);
}

function problemsList(problems, id) {
  if (!problems?.length) return el('p', { id, class: 'note' }, t('optNoProblems'));
  return el('ul', { id }, problems.map((p) => el('li', { 'data-key': p.key, 'data-severity': p.severity }, keyTitle(p.key), ': ', problemText(p))));
}

/** What the organisation manages, by titles people understand; nothing when it manages nothing. */
function managedSection(managed, eff) {
  if (!managed.size) return el('p', { class: 'note', id: 'no-policy' }, t('optNoPolicy'));
  return [
    el('h2', {}, t('optManaged')),
    el('p', { class: 'note' }, t('optManagedHint')),
    el(
      'ul',
      { id: 'managed-keys' },
      [...managed].map((k) => el('li', { 'data-key': k }, el('strong', {}, t(`optKey_${k}`)), ': ', valueText(eff[k]))),
    ),
  ];
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
    managedSection(managed, eff),
    (managed.size > 0 || status.adminProblems.length + status.userProblems.length > 0) && [
      el('h2', {}, t('optProblems')),
      problemsList([...status.adminProblems, ...status.userProblems], 'problems'),
    ],
    feedsList(status.feedStatus ?? {}, eff.blocklistFeeds),
    el('h2', {}, t('optEffective')),
    el('p', {}, el('label', {}, t('optLanguage'), ' ', language, lockedNote('language'))),
    el('p', {}, el('label', {}, social, ' ', t('optSocial'), lockedNote('socialNotices'))),
    el('p', {}, el('label', {}, t('optBlocked'), el('br'), blocked)),
    el('div', { class: 'actions' }, save),
    saved,
    el(
      'details',
      { class: 'effective' },
      el('summary', {}, t('optEffectiveAll')),
      // Focusable: a scrolling region must be reachable by keyboard.
      el('pre', { id: 'effective', class: 'note', tabindex: 0 }, JSON.stringify(withoutEmpty(eff), null, 2)),
    ),
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
