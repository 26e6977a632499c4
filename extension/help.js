// Shows the help text in the pages' language (policy's, else the browser's), with the police
// contact the policy names or, without one, the nationwide one.
import * as platform from './platform.js';
import { browserLanguage } from './language.js';
import { contactLines, fill } from './ui.js';

const browserLang = browserLanguage();

async function main() {
  const answer = await platform.messages.send({ type: 'contacts' }).catch(() => null);
  const lang = answer?.lang === 'en' || answer?.lang === 'vi' ? answer.lang : browserLang;
  const t = lang === browserLang ? platform.t : await platform.messagesIn(lang);
  for (const article of document.querySelectorAll('article[lang]')) article.hidden = article.lang !== lang;
  document.documentElement.lang = lang;
  document.title = `Cảnh Giác — ${document.querySelector(`article[lang="${lang}"] h1`).textContent}`;
  const target = document.querySelector(`article[lang="${lang}"] .police-contact`);
  fill(target, contactLines(t, answer?.error ? null : answer?.contact, answer?.error ? null : answer?.police));
  document.body.dataset.ready = 'true';
}

main();
