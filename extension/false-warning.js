// The warning page's "this warning is wrong" section, beside warning.js: community lists and
// heuristics can be mistaken, and a report of a false warning is how a genuine site gets fixed.
// It asks the worker the same question the page does; the worker decides what the report holds.
import * as platform from './platform.js';
import { el, fill } from './ui.js';

const t = platform.t;
const root = document.getElementById('false-warning');

function question() {
  const id = new URLSearchParams(location.search).get('id');
  if (id) return { id };
  if (location.hash.length > 1) return { url: location.hash.slice(1) };
  return null;
}

function main() {
  const q = question();
  if (!q) return;
  const button = el('button', { type: 'button', id: 'report-false' }, t('warnReportFalse'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    const res = await platform.messages.send({ type: 'reportWarning', ...q, kind: 'false_warning' });
    if (res?.error) button.after(el('p', { class: 'note' }, res.error));
    button.disabled = false;
  });
  fill(root, el('p', { class: 'note' }, t('warnFalseIntro')), el('p', {}, button));
  root.hidden = false;
}

main();
