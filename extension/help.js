// Shows the help text in the browser's language (Vietnamese unless the browser is English).
import * as platform from './platform.js';

const lang = platform.uiLanguage().toLowerCase().startsWith('en') ? 'en' : 'vi';
for (const article of document.querySelectorAll('article[lang]')) article.hidden = article.lang !== lang;
document.documentElement.lang = lang;
document.title = `Cảnh Giác — ${document.querySelector(`article[lang="${lang}"] h1`).textContent}`;
