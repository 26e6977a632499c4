// Cảnh Giác on the web apps of Zalo, Facebook and Messenger (a classic content script: content
// scripts cannot be modules). It is glue: it collects links and what the user is writing, asks
// the service worker — where the engine decides — and shows the answer. It makes no network
// request, and what the user writes goes only to the extension's own worker, on this machine.
// The site's own behaviour is left alone: nothing here blocks typing, nothing moves the page
// except the link markers, and the notice and the personal-data panel float above the page.
(() => {
  'use strict';

  const api = globalThis.browser ?? globalThis.chrome;
  // Injected once per page; a second injection (an extension update) leaves the first in charge.
  if (!api?.runtime?.id || globalThis.canhGiacSocial) return;
  globalThis.canhGiacSocial = true;

  /** How long links gathered by the observer wait before one batch goes to the engine. */
  const LINK_BATCH_MS = 120;
  /**
   * Links per message. A huge first page goes in a few messages: each is short, so the worker
   * stays free for navigations in between, and the engine's hot code is optimised (in the
   * background) while the first messages run — measured, 5,000 links cold: 56 ms in one
   * message, 33 ms in five.
   */
  const LINKS_PER_BATCH = 1000;
  /** Link text longer than this is words, never an address: only the address is sent. */
  const MAX_LINK_TEXT = 200;
  /** Quiet time after the last keystroke before the text is checked for personal data. */
  const PERSONAL_DELAY_MS = 350;
  /** Input types where people write free text; passwords and the like are never read. */
  const TEXT_INPUTS = new Set(['', 'text', 'search', 'tel']);
  const Z_TOP = '2147483647';

  const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;

  /** A message to the worker; null when the extension went away (updated or removed). */
  async function ask(message) {
    try {
      return await api.runtime.sendMessage(message);
    } catch {
      return null;
    }
  }

  /** `el('p', {class: 'x'}, 'text', child)`: DOM from data, never from HTML strings. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== false && v != null) node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c != null && c !== false) node.append(c);
    return node;
  }

  /** A host element floating above the page with its own shadow root: page CSS cannot reach in. */
  function floating(id, css) {
    const host = document.createElement('canhgiac-panel');
    host.id = id;
    host.style.cssText = `all: initial; position: fixed; z-index: ${Z_TOP};`;
    const root = host.attachShadow({ mode: 'open' });
    root.append(el('style', {}, css));
    return { host, root };
  }

  const PANEL_CSS = `
    .box { box-sizing: border-box; max-width: 360px; font: 14px/1.45 system-ui, "Segoe UI", Roboto, sans-serif;
      color: #1d1d1f; background: #fffbe6; border: 2px solid #b26a00; border-radius: 10px; padding: 12px 14px;
      box-shadow: 0 6px 24px rgba(0,0,0,.25); }
    h2 { font-size: 15px; margin: 0 0 6px; color: #7a3e00; }
    p, ul { margin: 6px 0; } ul { padding-left: 20px; } li { margin: 3px 0; }
    a { color: #0b57d0; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
    button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #7a3e00; background: #fff; color: #1d1d1f; cursor: pointer; }
    button.primary { background: #7a3e00; color: #fff; }
    button:focus-visible, a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  `;

  // ---- 1. The notice on friend-request, invitation and chat-start pages.

  let lastUrl = null;
  let notice = null;

  function closeNotice() {
    notice?.remove();
    notice = null;
  }

  function showNotice(answer) {
    closeNotice();
    const { host, root } = floating('canhgiac-social-notice', PANEL_CSS);
    host.style.right = '16px';
    host.style.bottom = '16px';
    const help = el(
      'a',
      {
        href: answer.helpUrl,
        id: 'help',
        onclick: (e) => {
          // A web page may not open an extension page itself; the worker opens it in a tab.
          e.preventDefault();
          ask({ type: 'socialHelp' });
        },
      },
      t('socialNoticeHelp'),
    );
    const box = el(
      'section',
      { class: 'box', role: 'region', 'aria-labelledby': 'title', 'aria-live': 'polite', lang: t('@@ui_locale').slice(0, 2) },
      el('h2', { id: 'title' }, t('socialNoticeTitle')),
      el('p', { id: 'why' }, answer.reasons.map((r) => r.message).join(' ')),
      el(
        'ul',
        {},
        el('li', { id: 'stranger' }, t('socialNoticeStranger')),
        el('li', { id: 'no-app' }, t('socialNoticeNoApp')),
        el('li', { id: 'no-personal' }, t('socialNoticeNoPersonal')),
      ),
      el('p', {}, help),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', class: 'primary', id: 'close', onclick: closeNotice }, t('socialNoticeClose')),
        el(
          'button',
          {
            type: 'button',
            id: 'silence',
            onclick: () => {
              ask({ type: 'socialSilence' });
              closeNotice();
            },
          },
          t('socialNoticeSilence'),
        ),
      ),
    );
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') closeNotice();
    });
    root.append(box);
    document.documentElement.append(host);
    notice = host;
  }

  /** Asks whether this address gets the notice; single-page apps change address without loading. */
  /** Asks whether this address gets the notice; resolves with whether this site is watched. */
  async function checkPage() {
    if (location.href === lastUrl) return false;
    lastUrl = location.href;
    const answer = await ask({ type: 'socialPage', url: location.href });
    if (answer?.notice && location.href === lastUrl) showNotice(answer);
    return Boolean(answer?.watch);
  }

  // ---- 2. Links: found as they appear, judged in batches, marked before they are clicked.

  /** The href each link was judged with: a link whose href changes is judged again. */
  const judged = new WeakMap();
  let pendingRoots = new Set();
  let linkTimer = 0;

  /** What a link shows, as the engine wants it: one line, no tabs, short, without our marker. */
  function linkText(a) {
    let text = '';
    for (const node of a.childNodes) if (!(node instanceof Element && node.classList.contains('canhgiac-mark'))) text += node.textContent;
    text = text.replace(/\s+/g, ' ').trim();
    return text.length > MAX_LINK_TEXT ? '' : text;
  }

  function unmark(a) {
    for (const m of a.querySelectorAll(':scope > .canhgiac-mark')) m.remove();
    delete a.dataset.canhgiac;
  }

  function mark(a, verdict) {
    unmark(a);
    const why = verdict.reasons.map((r) => r.message).join(' ');
    // First inside the link: a screen reader reads the warning as part of the link's name, and
    // clicking the marker is clicking the link (which goes to the warning page).
    const marker = el(
      'span',
      { class: 'canhgiac-mark', 'data-level': verdict.verdict, title: t('socialMarkWhy', why) },
      el('span', { class: 'canhgiac-mark-icon', 'aria-hidden': 'true' }, '⚠ '),
      el('span', { class: 'canhgiac-mark-label', 'aria-hidden': 'true' }, t('socialMarkLabel')),
      el('span', { class: 'canhgiac-mark-why' }, t('socialMarkWhy', why)),
    );
    a.dataset.canhgiac = verdict.verdict;
    a.prepend(marker);
  }

  function queue(root) {
    pendingRoots.add(root);
    if (!linkTimer) linkTimer = setTimeout(flushLinks, LINK_BATCH_MS);
  }

  /** Links under the queued roots that were not judged with their current href. */
  function freshLinks(roots) {
    const found = new Set();
    const consider = (a) => {
      // `javascript:` links are the site's own buttons; an SVG link's href is not a string.
      if (typeof a.href !== 'string' || !a.href || a.protocol === 'javascript:' || judged.get(a) === a.href) return;
      found.add(a);
    };
    for (const root of roots) {
      if (!root.isConnected) continue;
      if (root instanceof HTMLAnchorElement) consider(root);
      if (root.querySelectorAll) for (const a of root.querySelectorAll('a[href]')) consider(a);
    }
    return [...found];
  }

  async function flushLinks() {
    linkTimer = 0;
    const roots = pendingRoots;
    pendingRoots = new Set();
    if (roots.size) checkPage();
    const links = freshLinks(roots);
    for (let i = 0; i < links.length; i += LINKS_PER_BATCH) await judgeLinks(links.slice(i, i + LINKS_PER_BATCH));
  }

  async function judgeLinks(links) {
    const hrefs = links.map((a) => {
      if (a.dataset.canhgiac) unmark(a);
      judged.set(a, a.href);
      return a.href;
    });
    // One string for the whole batch: `href<TAB>text` a line (see the engine's markLinks).
    const packed = links.map((a, i) => {
      const text = linkText(a);
      return text ? `${hrefs[i]}\t${text}` : hrefs[i];
    });
    const answer = await ask({ type: 'socialLinks', links: packed.join('\n') });
    if (!answer?.marks) return;
    for (let k = 0; k < answer.marks.length; k += 2) {
      const a = links[answer.marks[k]];
      // The page may have changed the link meanwhile; the observer has queued it again.
      if (a.isConnected && a.href === hrefs[answer.marks[k]]) mark(a, answer.verdicts[answer.marks[k + 1]]);
    }
  }

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') queue(r.target);
      else for (const n of r.addedNodes) if (n.nodeType === Node.ELEMENT_NODE && !n.classList?.contains('canhgiac-mark')) queue(n);
    }
  });

  /** Clicking a marked link: the worker judges it again and opens the warning in a new tab. */
  async function onLinkClick(e) {
    // Only the user's own clicks: a page's script cannot use a mark to open tabs.
    if (!e.isTrusted) return;
    const a = e.composedPath().find((n) => n instanceof HTMLAnchorElement && n.dataset.canhgiac);
    if (!a || (e.type === 'auxclick' && e.button !== 1)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const answer = await ask({ type: 'socialOpenLink', href: a.href, text: linkText(a) });
    if (answer && !answer.error && !answer.warned) {
      // The page changed the link to a harmless one since it was marked: the click goes on.
      unmark(a);
      a.click();
    }
  }

  // ---- 3. Personal data in what the user writes, found before it is posted.

  let personalTimer = 0;
  let personalField = null;
  let personalPanel = null;
  /** Per field, the findings the user closed: the same ones are not shown again. */
  const dismissed = new WeakMap();

  /** The field being written in: a text box, a textarea, or the editing host of rich text. */
  function fieldOf(e) {
    const target = e.composedPath()[0];
    if (target instanceof HTMLTextAreaElement) return target;
    if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.getAttribute('type')?.toLowerCase() ?? '') ? target : null;
    if (!(target instanceof HTMLElement) || !target.isContentEditable) return null;
    let host = target;
    while (host.parentElement?.isContentEditable) host = host.parentElement;
    return host;
  }

  const fieldText = (field) => ('value' in field && !field.isContentEditable ? field.value : field.innerText);

  function closePersonal() {
    personalPanel?.remove();
    personalPanel = null;
  }

  function showPersonal(field, found, signature) {
    closePersonal();
    const { host, root } = floating('canhgiac-personal', PANEL_CSS);
    const box = el(
      'section',
      { class: 'box', role: 'status', 'aria-live': 'polite', lang: t('@@ui_locale').slice(0, 2) },
      el('h2', {}, t('socialPersonalTitle')),
      el('ul', { id: 'found' }, found.map((f) => el('li', { 'data-kind': f.kind }, f.message))),
      el('p', {}, t('socialPersonalHow')),
      el(
        'div',
        { class: 'actions' },
        el(
          'button',
          {
            type: 'button',
            id: 'close',
            onclick: () => {
              dismissed.set(field, signature);
              closePersonal();
            },
          },
          t('socialPersonalClose'),
        ),
      ),
    );
    root.append(box);
    // Beside the field, over the page: the page's own layout does not move.
    const r = field.getBoundingClientRect();
    host.style.left = `${Math.max(8, Math.min(r.left, innerWidth - 376))}px`;
    if (r.top > 220) host.style.bottom = `${Math.max(8, innerHeight - r.top + 6)}px`;
    else host.style.top = `${Math.min(innerHeight - 40, r.bottom + 6)}px`;
    document.documentElement.append(host);
    personalPanel = host;
  }

  async function checkPersonal() {
    personalTimer = 0;
    const field = personalField;
    if (!field?.isConnected) return closePersonal();
    const answer = await ask({ type: 'socialPersonal', text: fieldText(field) });
    if (field !== personalField) return;
    const found = answer?.found ?? [];
    const signature = found.map((f) => `${f.kind}:${f.masked}`).join('|');
    if (!found.length || dismissed.get(field) === signature) return closePersonal();
    showPersonal(field, found, signature);
  }

  function onInput(e) {
    const field = fieldOf(e);
    if (!field) return;
    personalField = field;
    clearTimeout(personalTimer);
    personalTimer = setTimeout(checkPersonal, PERSONAL_DELAY_MS);
  }

  // ---- Start.

  addEventListener('popstate', () => checkPage());
  // An invitation landing page (t.me, wa.me, zalo.me …) gets the notice alone; the worker says
  // whether this site is a chat app whose links and post boxes are watched.
  checkPage().then((watch) => {
    if (!watch) return;
    queue(document.documentElement);
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['href'] });
    addEventListener('click', onLinkClick, true);
    addEventListener('auxclick', onLinkClick, true);
    // Passive: reading what was typed never delays or blocks the typing.
    addEventListener('input', onInput, { capture: true, passive: true });
  });
})();
