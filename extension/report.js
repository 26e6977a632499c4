// The report page: the form for one draft (`?draft=<id>`), then the list of the user's reports
// and their states. What will be sent is the engine's own report, shown before sending; the
// worker keeps the outbox and delivers.
import * as platform from './platform.js';
import { browserLanguage } from './language.js';
import { contactLines, el, fill, setPage } from './ui.js';

const KINDS = ['install_link', 'stranger_contact', 'extortion', 'fake_login', 'other', 'false_warning'];
/** The kind the user already chose where the report started ("report a false warning"). */
const chosenKind = new URLSearchParams(location.search).get('kind');

let t = platform.t;
const root = document.getElementById('report');
const draftId = new URLSearchParams(location.search).get('draft');
const send = (message) => platform.messages.send(message);

/** The report as it will be sent, with the screenshot's bytes replaced by their size and hash. */
function shown(report) {
  const evidence = report.evidence.map((e) => ({ ...e, data: t('repDataElided', e.bytes) }));
  return JSON.stringify({ ...report, evidence }, null, 2);
}

function time(ms) {
  return ms ? new Date(ms).toLocaleString(document.documentElement.lang) : '';
}

function stateLine(r, endpoint) {
  switch (r.state) {
    case 'queued':
      return [t('repStateQueued', time(r.nextAttemptAt)), r.lastError && ` — ${t('repLastError', r.lastError)}`];
    case 'sending':
      return t('repStateSending');
    case 'sent':
      return [t('repStateSent', time(r.sentAt)), r.answer && ` — ${r.answer}`];
    case 'failed':
      return t('repStateFailed', r.lastError ?? '');
    default:
      return endpoint ? t('repStateSaved') : t('repStateSavedNoEndpoint');
  }
}

/** Offers `text` as a file download made in the page (no network involved). */
function saveFile(name, text, type) {
  const href = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

function reportActions(r, endpoint) {
  const payload = async () => {
    const p = await send({ type: 'reportPayload', id: r.id });
    return p.error ? null : p;
  };
  const kept = r.state !== 'sent';
  return el(
    'div',
    { class: 'actions' },
    kept &&
      el(
        'button',
        {
          type: 'button',
          class: 'copy',
          onclick: async (e) => {
            const p = await payload();
            if (!p) return;
            await navigator.clipboard.writeText(`${p.summary}\n${JSON.stringify(p.report, null, 2)}\n`);
            e.target.textContent = t('repCopied');
          },
        },
        t('repCopy'),
      ),
    kept &&
      el(
        'button',
        {
          type: 'button',
          class: 'save',
          onclick: async () => {
            const p = await payload();
            if (!p) return;
            const base = `canhgiac-bao-cao-${r.id.slice(0, 8)}`;
            saveFile(`${base}.json`, `${JSON.stringify(p.report, null, 2)}\n`, 'application/json');
            saveFile(`${base}.txt`, p.summary, 'text/plain;charset=utf-8');
          },
        },
        t('repSaveFile'),
      ),
    r.state !== 'sending' &&
      el(
        'button',
        {
          type: 'button',
          class: 'delete',
          onclick: async (e) => {
            // Two presses: a report with its evidence is not lost to a slip of the mouse.
            if (e.target.dataset.armed !== 'true') {
              e.target.dataset.armed = 'true';
              e.target.textContent = t('repDeleteConfirm');
              return;
            }
            e.target.disabled = true;
            await send({ type: 'reportDelete', id: r.id });
          },
        },
        t('repDelete'),
      ),
    endpoint &&
      (r.state === 'queued' || r.state === 'failed' || r.state === 'saved') &&
      el(
        'button',
        {
          type: 'button',
          class: 'retry',
          onclick: async (e) => {
            e.target.disabled = true;
            await send({ type: 'reportRetry', id: r.id });
          },
        },
        r.state === 'saved' ? t('repSendNow') : t('repRetry'),
      ),
  );
}

function reportsList(list) {
  if (!list.reports.length) return el('p', { class: 'note', id: 'no-reports' }, t('repNone'));
  return el(
    'ul',
    { id: 'reports' },
    list.reports.map((r) =>
      el(
        'li',
        { 'data-id': r.id, 'data-state': r.state, 'data-attempts': r.attempts },
        el('div', {}, el('strong', {}, t(`repKind_${r.kind}`)), ' · ', time(Date.parse(r.createdAt))),
        el('div', { class: 'note' }, r.url),
        el('div', { class: 'state' }, stateLine(r, list.endpoint)),
        reportActions(r, list.endpoint),
      ),
    ),
  );
}

/** Where to take a report when no endpoint receives it, or in addition. */
function helpBlock(contact, police, endpoint) {
  return el(
    'section',
    { class: 'help', id: 'police-help' },
    el('h2', {}, t('repHelpTitle')),
    !endpoint && el('p', { id: 'no-endpoint' }, t('repNoEndpoint')),
    contactLines(t, contact, police),
    // The nationwide contact already names the nearest station; the organisation's may not.
    police?.name && el('p', {}, t('repNearestStation')),
    el('p', {}, el('a', { href: platform.url('help.html') }, t('warnHelpPage'))),
  );
}

async function renderList(target) {
  const list = await send({ type: 'reportList' });
  if (list.error) return;
  fill(target, el('h2', {}, t('repYourReports')), reportsList(list), helpBlock(list.contact, list.police, list.endpoint));
}

function form(answer, listTarget) {
  const { draft, endpoint } = answer;
  const choices = { kind: null, note: '', contact: '', screenshot: Boolean(draft.screenshot) };
  // The engine's readable summary first (in the page's language); the exact JSON behind a
  // disclosure, focusable because it scrolls.
  const summary = el('div', { class: 'summary', id: 'summary' });
  const preview = el('pre', { id: 'preview', tabindex: 0 });
  const hash = el('div', { class: 'hash', id: 'shot-hash' });
  const problem = el('p', { class: 'note feed-error', id: 'problem', role: 'status' });
  const sendButton = el('button', { type: 'button', class: 'primary', id: 'send' }, endpoint ? t('repSend') : t('repSaveLocal'));

  // Each preview is the engine's whole report (screenshot hashed again): typing waits for a pause,
  // and an answer that a newer question overtook is not shown.
  let asked = 0;
  let typingTimer = 0;
  const refresh = async () => {
    const question = ++asked;
    const built = await send({ type: 'reportPreview', draft: draft.id, choices: { ...choices, kind: choices.kind ?? 'other' } });
    if (question !== asked) return built;
    if (built.error) {
      problem.textContent = built.error;
      sendButton.disabled = true;
      return null;
    }
    problem.textContent = '';
    sendButton.disabled = false;
    summary.textContent = built.summary;
    preview.textContent = shown(built.report);
    const shot = built.report.evidence.find((e) => e.type === 'screenshot');
    hash.textContent = shot ? `SHA-256: ${shot.sha256}` : '';
    return built;
  };

  const kinds = el(
    'fieldset',
    { id: 'kinds' },
    el('legend', {}, t('repWhatHappened')),
    KINDS.map((k) =>
      el(
        'label',
        {},
        el('input', {
          type: 'radio',
          name: 'kind',
          value: k,
          onchange: () => {
            choices.kind = k;
            refresh();
          },
        }),
        ` ${t(`repKind_${k}`)}`,
      ),
    ),
  );
  const text = (id, key, multiline) =>
    el(
      'label',
      {},
      t(key),
      el(multiline ? 'textarea' : 'input', {
        id,
        type: multiline ? null : 'text',
        rows: multiline ? 4 : null,
        oninput: (e) => {
          choices[id] = e.target.value;
          clearTimeout(typingTimer);
          typingTimer = setTimeout(refresh, 250);
        },
      }),
    );
  const shot =
    draft.screenshot &&
    el(
      'fieldset',
      { class: 'shot' },
      el('legend', {}, t('repScreenshot')),
      el(
        'label',
        {},
        el('input', {
          type: 'checkbox',
          id: 'attach-shot',
          checked: true,
          onchange: (e) => {
            choices.screenshot = e.target.checked;
            refresh();
          },
        }),
        ` ${t('repAttachScreenshot')}`,
      ),
      el('img', { src: draft.screenshot, alt: t('repScreenshot') }),
      hash,
    );

  sendButton.addEventListener('click', async () => {
    if (!choices.kind) {
      problem.textContent = t('repChooseKind');
      return;
    }
    sendButton.disabled = true;
    const res = await send({ type: 'reportSend', draft: draft.id, choices });
    if (res.error) {
      problem.textContent = res.error;
      sendButton.disabled = false;
      return;
    }
    fill(root, el('h1', {}, t('repTitle')), el('p', { id: 'sent', 'data-id': res.id }, endpoint ? t('repQueuedNote') : t('repSavedNote')), listTarget);
    await renderList(listTarget);
  });

  const built = refresh().then((b) => {
    // Suggest the kind that fits what the engine found; the user can pick another.
    const suggested = KINDS.includes(chosenKind) ? chosenKind : b?.suggestedKind;
    const radio = suggested && kinds.querySelector(`input[value="${suggested}"]`);
    if (radio) {
      radio.checked = true;
      choices.kind = suggested;
      return refresh();
    }
    return b;
  });

  return {
    built,
    nodes: [
      el('h1', {}, t('repTitle')),
      el('p', { class: 'lead' }, t('repLead')),
      el('div', { class: 'site note url', id: 'reported-url' }, draft.url),
      draft.redirectChain.length > 0 && el('p', { class: 'note', id: 'chain' }, t('repChain'), ' ', draft.redirectChain.join(' → ')),
      kinds,
      text('note', 'repNote', true),
      text('contact', 'repContact', false),
      shot,
      el('h2', {}, t('repWhatIsSent')),
      el('p', { class: 'note', id: 'destination' }, endpoint ? t('repSentTo', endpoint) : t('repKeptLocally')),
      summary,
      el('details', { class: 'exact', id: 'exact' }, el('summary', {}, t('repExactJson')), preview),
      problem,
      el('div', { class: 'actions' }, sendButton),
    ],
  };
}

async function main() {
  setPage(browserLanguage(), t('repTitle'));
  const listTarget = el('section', { id: 'list' });
  let answer = null;
  if (draftId) answer = await send({ type: 'reportDraft', draft: draftId });
  const lang = answer?.lang ?? (await send({ type: 'reportList' })).lang;
  if (lang && lang !== document.documentElement.lang) {
    t = await platform.messagesIn(lang);
    setPage(lang, t('repTitle'));
  }
  if (answer && !answer.error && !answer.sent) {
    const { built, nodes } = form(answer, listTarget);
    fill(root, nodes, listTarget);
    await built;
  } else {
    fill(root, el('h1', {}, t('repTitle')), draftId && el('p', { class: 'note' }, t('repDraftGone')), listTarget);
  }
  await renderList(listTarget);
  // States change as the worker delivers; show them as they change.
  platform.storage.onChanged((changes, area) => {
    if (area === 'local' && changes.reports) renderList(listTarget);
  });
  document.body.dataset.ready = 'true';
}

main();
