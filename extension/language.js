// The browser's language, for the extension's pages before (or without) the worker's answer. The
// language that counts, the policy's else the browser's, is the engine's: `engine.language()`.
import * as platform from './platform.js';

/** The browser's language as the extension speaks it: English for an English browser, else
 * Vietnamese (the product's own). The engine's `Lang::of_browser` is the same rule. */
export const browserLanguage = () => (platform.uiLanguage().toLowerCase().startsWith('en') ? 'en' : 'vi');
