// DOM helpers shared by the extension's pages: elements are built node by node, never from
// HTML strings, so no text from a verdict or a URL can become markup.

/** Creates `<tag>` with attributes (`class`, `href`, `data-*`, event handlers `on*`) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Replaces the children of `parent`. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  for (const c of children.flat()) if (c) parent.append(c);
}

/** `text` with a break opportunity after each dot and hyphen, so a long host wraps between its
 * labels on a narrow screen instead of in the middle of a word. */
function breakable(text) {
  return text.split(/(?<=[.\-])/).flatMap((part, i) => (i ? [el('wbr'), part] : [part]));
}

/** A host with its registrable domain in bold, so the real site stands out. */
export function hostLine(host, registrable) {
  if (!host) return el('span');
  if (!registrable || !host.endsWith(registrable)) return el('strong', { class: 'domain' }, breakable(host));
  const prefix = host.slice(0, host.length - registrable.length);
  return el('span', { class: 'host' }, breakable(prefix), el('strong', { class: 'domain' }, breakable(registrable)));
}

/** Sets the document language and title from the UI strings. */
export function setPage(lang, title) {
  document.documentElement.lang = lang;
  document.title = title;
}

/** Police emergency number, the same in every province (free, day and night). */
export const POLICE_EMERGENCY = '113';
/** The national centre for reporting online scams (NCSC); its sources are in docs/pages.md. */
export const NATIONAL_REPORT_SITE = { href: 'https://khonggianmang.vn/', shown: 'khonggianmang.vn' };

const telHref = (phone) => `tel:${phone.replace(/[^+\d]/g, '')}`;

/** Whom to call: the police unit the organisation's policy names (`policeContact`), else what is
 * right anywhere in Viet Nam: 113, the nearest commune or ward police, the national report site. */
function policeLines(t, police) {
  if (police?.name) {
    return el(
      'div',
      { class: 'police', 'data-source': 'policy' },
      el('span', { class: 'label' }, t('warnPolice')),
      el('span', { class: 'police-name' }, police.name),
      police.phone && [' · ', el('a', { href: telHref(police.phone), class: 'phone' }, police.phone)],
      police.url && [' · ', el('a', { href: police.url, target: '_blank', rel: 'noopener' }, police.url.replace(/^https:\/\//, '').replace(/\/$/, ''))],
    );
  }
  return el(
    'div',
    { class: 'police', 'data-source': 'national' },
    el('span', { class: 'label' }, t('warnPolice')),
    el(
      'ul',
      {},
      el('li', {}, t('policeEmergency'), ' ', el('a', { href: telHref(POLICE_EMERGENCY), class: 'phone' }, POLICE_EMERGENCY)),
      el('li', {}, t('policeStation')),
      el('li', {}, t('policeOnline'), ' ', el('a', { href: NATIONAL_REPORT_SITE.href, target: '_blank', rel: 'noopener' }, NATIONAL_REPORT_SITE.shown)),
    ),
  );
}

/** How to reach help: the organisation's own contact from policy first, then the police. */
export function contactLines(t, contact, police) {
  const org = contact && (contact.phone || contact.email || contact.name);
  return [
    org &&
      el(
        'p',
        { class: 'org-contact' },
        el('span', { class: 'label' }, t('warnOrgContact')),
        contact.name ?? '',
        contact.phone && [' · ', el('a', { href: telHref(contact.phone) }, contact.phone)],
        contact.email && [' · ', el('a', { href: `mailto:${contact.email}` }, contact.email)],
      ),
    policeLines(t, police),
  ];
}
