/**
 * @module loupe-x.js: the markup-driven features, loaded by loupe.js when the page uses them.
 * It hands them over on its own script element rather than a global (load-extras.ts reads them on load).
 */
import { EXTRAS_PROPERTY, startExtras } from './extras.js';

const script = document.currentScript as (HTMLScriptElement & Record<string, unknown>) | null;
if (script) script[EXTRAS_PROPERTY] = startExtras;
