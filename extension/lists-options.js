// The options page's section on the built-in community lists: each list with its state, and the
// user's on/off switch unless the organisation set it. A section of its own beside options.js.
import * as platform from './platform.js';
import { el, fill } from './ui.js';

const t = platform.t;
const root = document.getElementById('builtin-lists');

function listItem(l) {
  const updated = l.from === 'refresh' ? l.lastUpdate : t('listsBundled', l.snapshotDate);
  return el(
    'li',
    { 'data-list': l.id },
    el('strong', {}, `${l.name} (${l.id})`),
    el('div', { class: 'list-entries', 'data-entries': l.entries ?? '' }, t('listsEntries', l.entries ?? '—')),
    el('div', { class: 'note list-updated' }, t('listsLastUpdate', updated)),
    l.lastError && el('div', { class: 'note feed-error list-error' }, t('listsLastError', l.lastError)),
    el('div', { class: 'note' }, t('listsSource', l.source), ' — ', t('listsLicence', l.licence)),
    el('div', { class: 'note' }, t('listsRefreshFrom', l.url)),
  );
}

function render(state, userOptions) {
  const toggle = el('input', { type: 'checkbox', id: 'builtInLists', checked: state.enabled, disabled: state.locked });
  toggle.addEventListener('change', async () => {
    await platform.messages.send({ type: 'setUserOptions', options: { ...userOptions, builtInLists: toggle.checked } });
    // The rest of the page keeps its own copy of the user's options: start it afresh.
    location.reload();
  });
  const refresh = el('button', { type: 'button', id: 'refresh-lists' }, t('listsRefreshNow'));
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    const next = await platform.messages.send({ type: 'refreshBuiltinLists' });
    render(next, userOptions);
  });
  fill(
    root,
    el('h2', {}, t('listsTitle')),
    el('p', { class: 'note' }, t('listsIntro')),
    el('p', {}, el('label', {}, toggle, ' ', t('listsEnabled')), state.locked && el('span', { class: 'note managed', 'data-key': 'builtInLists' }, ` (${t('listsLocked')})`)),
    !state.enabled && el('p', { class: 'note', id: 'lists-off' }, t('listsOff')),
    el('ul', { id: 'lists' }, state.lists.map(listItem)),
    state.enabled && el('div', { class: 'actions' }, refresh),
  );
  root.dataset.ready = 'true';
}

async function main() {
  const [state, status] = await Promise.all([
    platform.messages.send({ type: 'builtinLists' }),
    platform.messages.send({ type: 'policyStatus' }),
  ]);
  if (!state || state.error) return;
  render(state, status?.userOptions ?? {});
}

main();
