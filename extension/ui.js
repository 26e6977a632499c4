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

/** A host with its registrable domain in bold, so the real site stands out. */
export function hostLine(host, registrable) {
  if (!host) return el('span');
  if (!registrable || !host.endsWith(registrable)) return el('strong', { class: 'domain' }, host);
  const prefix = host.slice(0, host.length - registrable.length);
  return el('span', { class: 'host' }, prefix, el('strong', { class: 'domain' }, registrable));
}

/** Sets the document language and title from the UI strings. */
export function setPage(lang, title) {
  document.documentElement.lang = lang;
  document.title = title;
}

/** The provincial cyber-crime hotline named in the police notice (Đắk Lắk). */
export const POLICE_PHONE = { dial: '0694387389', shown: '0694.387.389' };

/** How to reach help: the organisation's own contact from policy first, then the police hotline. */
export function contactLines(t, contact) {
  const org = contact && (contact.phone || contact.email || contact.name);
  return [
    org &&
      el(
        'p',
        { class: 'org-contact' },
        el('span', { class: 'label' }, t('warnOrgContact')),
        contact.name ?? '',
        contact.phone && [' · ', el('a', { href: `tel:${contact.phone.replace(/[^+\d]/g, '')}` }, contact.phone)],
        contact.email && [' · ', el('a', { href: `mailto:${contact.email}` }, contact.email)],
      ),
    el('p', { class: 'police' }, el('span', { class: 'label' }, t('warnPolice')), el('a', { href: `tel:${POLICE_PHONE.dial}` }, POLICE_PHONE.shown)),
  ];
}
