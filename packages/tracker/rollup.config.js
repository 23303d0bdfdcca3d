import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

/**
 * idb's build appends two optional layers to its core wrapper: shortcut methods on the database
 * (`db.get(store, key)`) and async cursor iterators. loupe.js uses neither, and they are installed
 * by top-level calls no bundler can drop, so they are cut here (idb is pinned; the end-to-end
 * tests exercise the queue in Chromium).
 */
const idbCoreOnly = () => ({
  name: 'idb-core-only',
  transform(code, id) {
    if (!/[\\/]idb[\\/]build[\\/]index\.js$/.test(id)) return null;
    const start = code.indexOf("const readMethods = ['get'");
    const end = code.indexOf('export {');
    if (start < 0 || end < start) this.error('idb-core-only: idb build layout changed; update rollup.config.js');
    return { code: code.slice(0, start) + code.slice(end), map: null };
  },
});

/** loupe.js: the script-tag build (IIFE, minified). The ESM build with types is tsc's output in dist/. */
export default {
  input: 'src/browser/script.ts',
  output: { file: 'dist/loupe.js', format: 'iife', sourcemap: true },
  plugins: [
    idbCoreOnly(),
    resolve({ browser: true }),
    // ES2021 syntax (?., ??, ??=): Chrome 85, Safari 14, Firefox 79 and later.
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    terser({ ecma: 2020, compress: { passes: 3, pure_getters: true }, mangle: true, format: { comments: false } }),
  ],
};
