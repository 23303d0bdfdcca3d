import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

/**
 * Properties that never leave loupe.js, renamed by terser: the platform's and the delivery's
 * internals and the option names only script-options.ts passes. An explicit list, never a reserved
 * list: wire fields (event, batch and response bodies), what is kept in storage, DOM names and the
 * public API (`window.loupe`, `loupe.consent`, `loupe.stats()`, and the `persist` option loupe-consent.js
 * passes to `loupe.consent.update`) must keep their names. `builtins`: names in the list are renamed even
 * where a DOM API has the same name (`storage`, `platform`, `queue`, `send`…); none is read off a DOM object
 * (nor off a script tag's dataset: `host` and `eraseOnRevoke` are data attributes too).
 */
const INTERNAL_PROPERTIES = new RegExp(
  // prettier-ignore
  `^(${[
    'kv', 'queue', 'storage', 'transport', 'lifecycle', 'peek', 'exclusive', 'beacon', 'onHide', 'onLeave',
    'onOnline', 'setTimer', 'forget', 'setUser', 'refresh', 'emit', 'retryNow', 'purge', 'leave',
    'flushAt', 'flushIntervalMs', 'maxQueueSize', 'maxBatchEvents', 'onAck', 'batchUrl', 'delayMs', 'kind',
    'sent', 'maxPendingConsent', 'consentDefaults', 'captureOnly', 'retryAfter', 'attempt', 'minMs',
    'maxMs', 'factor', 'platform', 'plugins', 'personalize', 'onError', 'store', 'load', 'save', 'subscribe',
    'defaults', 'randomId', 'on', 'session', 'maxAgeMs', 'send',
  ].join('|')})$`,
);

/**
 * `const` → `let` in each module before terser: the same bindings (block scope, TDZ, a fresh one per
 * loop iteration) in code tsc has checked never assigns them, one keyword for gzip instead of two,
 * and terser then joins neighbouring declarations into one (62 B of loupe.js). Positions come from
 * the parser, never from a text search; `let  ` keeps every column, so the source map stays exact.
 */
const letForConst = () => ({
  name: 'let-for-const',
  transform(code) {
    const starts = [];
    const walk = (node) => {
      if (node?.type === 'VariableDeclaration' && node.kind === 'const') starts.push(node.start);
      for (const value of Object.values(node ?? {}))
        for (const child of [value].flat()) if (typeof child?.type === 'string') walk(child);
    };
    walk(this.parse(code));
    let out = code;
    for (const start of starts) out = `${out.slice(0, start)}let  ${out.slice(start + 5)}`;
    return { code: out, map: null };
  },
});

/** A minified build of `input` (an IIFE unless `format` says otherwise, its source map beside it). The ESM build with types is tsc's output in dist/. */
const script = (input, file, format = 'iife') => ({
  input,
  // No "use strict" (ES module code is strict-safe) and no sourceMappingURL comment: 40 bytes of every
  // page load; the .map file is still written for symbolication.
  output: { file, format, sourcemap: 'hidden', strict: false },
  plugins: [
    resolve({ browser: true }),
    // ES2021 syntax (?., ??, ??=): Chrome 85, Safari 14, Firefox 79 and later.
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    letForConst(),
    terser({
      ecma: 2020,
      module: format === 'es',
      compress: { passes: 3, pure_getters: true, unsafe: true, unsafe_arrows: true },
      mangle: { properties: { regex: INTERNAL_PROPERTIES, builtins: true } },
      format: { comments: false },
    }),
  ],
});

/**
 * loupe.js, the script-tag build, and loupe-x.js, the markup-driven features it imports when a page
 * uses them (src/browser/extras.ts): an ES module, so loupe.js needs no script element to load it,
 * only `import()` (Chrome 63, Safari 11.1, Firefox 67), whose promise tells it loaded or failed. Each
 * is minified on its own: what crosses between them are the module's default export, its arguments'
 * members and public tracker members, none of which is in INTERNAL_PROPERTIES.
 */
export default [
  script('src/browser/script.ts', 'dist/loupe.js'),
  script('src/browser/extras-module.ts', 'dist/loupe-x.js', 'es'),
];
