import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

/** loupe-consent.js: the banner, its CSS and the bridges as one script tag (IIFE, minified). */
export default {
  input: 'src/banner/script.ts',
  output: { file: 'dist/loupe-consent.js', format: 'iife', sourcemap: true },
  plugins: [
    resolve({ browser: true }),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
    terser({ ecma: 2020, compress: { passes: 3, pure_getters: true }, mangle: true, format: { comments: false } }),
  ],
};
