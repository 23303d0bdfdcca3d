/**
 * @module loupe-x.js: the markup-driven features (extras.ts), an ES module that loupe.js imports
 * (load-extras.ts) when the page uses them. Its one export is the default: `.default` is all
 * loupe.js has to name.
 */
export { startExtras as default } from './extras.js';
