// The language of the extension's text, worked out here once for the worker and every page.
import * as platform from './platform.js';

/** The browser's language as the extension speaks it: English for an English browser, else
 * Vietnamese (the product's own). */
export const browserLanguage = () => (platform.uiLanguage().toLowerCase().startsWith('en') ? 'en' : 'vi');

/** The language of messages: the policy's (`vi` or `en`), else the browser's. */
export const languageFor = (policyLanguage) =>
  policyLanguage === 'vi' || policyLanguage === 'en' ? policyLanguage : browserLanguage();
