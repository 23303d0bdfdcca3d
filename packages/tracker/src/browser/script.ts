/**
 * @module loupe.js: the script-tag build.
 * `<script src="https://collector.example/loupe.js" data-write-key="wk_…" async></script>`
 */
import { createScriptTracker } from './create-script-tracker.js';
import { scriptOptions } from './script-options.js';
import { replay } from './snippet.js';

const global = window as unknown as { loupe?: unknown };
const queued = global.loupe;
// Loaded twice (two tags, a tag manager): the first instance keeps the page.
if (!queued || Array.isArray(queued)) {
  const report = (error: unknown) => console.warn('[loupe]', error);
  try {
    const script = (document.currentScript ?? document.querySelector('script[data-write-key]')) as HTMLScriptElement;
    const tracker = createScriptTracker({ onError: report, ...scriptOptions(script) });
    global.loupe = { ...tracker, push: (call: unknown) => replay(tracker, [call], report) };
    replay(tracker, (queued as unknown[]) ?? [], report);
  } catch (error) {
    report(error);
  }
}
