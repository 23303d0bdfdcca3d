// What the consent gate costs inside loupe.js: loupe.js built as its rollup config builds it, and
// again with @loupe/consent replaced by a stub that grants everything; the difference in gzip
// bytes is the gate's share (state machine, categories, stored decision, record id, expiry).
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const trackerDir = fileURLToPath(new URL('../../packages/tracker/', import.meta.url));

const STUB = `export function createConsent() {
  const state = { decided: true, categories: { necessary: true, analytics: true, personalization: true, marketing: true }, policyVersion: '1', source: 'defaults', updatedAt: null };
  return { ready: Promise.resolve(state), get: () => state, has: () => true, grant: () => state, deny: () => state, revoke: () => state, update: () => state, onChange: () => () => {} };
}
export const createConsentGate = createConsent;`;

async function build(stubConsent) {
  const { default: configs } = await import(`${trackerDir}rollup.config.js`);
  // The config builds loupe.js and loupe-x.js; the gate is in loupe.js.
  const config = configs.find((c) => c.output.file === 'dist/loupe.js');
  const stub = {
    name: 'stub-consent',
    resolveId: (id) => (stubConsent && id === '@loupe/consent' ? '\0stub-consent' : null),
    load: (id) => (id === '\0stub-consent' ? STUB : null),
  };
  const cwd = process.cwd();
  process.chdir(trackerDir); // the config's paths are relative to the tracker package
  try {
    const bundle = await rollup({ input: config.input, plugins: [stub, ...config.plugins], onwarn: () => {} });
    const { output } = await bundle.generate({ format: 'iife' });
    await bundle.close();
    return gzipSync(output[0].code, { level: 9 }).length;
  } finally {
    process.chdir(cwd);
  }
}

/** gzip bytes of loupe.js with and without the consent gate, and the difference. */
export async function consentGateCost() {
  const [full, stubbed] = [await build(false), await build(true)];
  return { full, stubbed, gate: full - stubbed };
}
