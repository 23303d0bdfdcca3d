import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the CLI and crash tests spawn the built dist.
    alias: [
      { find: /^@loupe\/schema\/validate$/, replacement: src('schema/src/validate.ts') },
      { find: /^@loupe\/schema$/, replacement: src('schema/src/index.ts') },
      { find: /^@loupe\/consent$/, replacement: src('consent/src/index.ts') },
      { find: /^@loupe\/tracker\/testing$/, replacement: src('tracker/src/testing/index.ts') },
      { find: /^@loupe\/tracker\/react-native$/, replacement: src('tracker/src/react-native/index.ts') },
      { find: /^@loupe\/tracker$/, replacement: src('tracker/src/index.ts') },
      { find: /^@loupe\/collector$/, replacement: src('collector/src/index.ts') },
      { find: /^@loupe\/segmenter$/, replacement: src('segmenter/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
