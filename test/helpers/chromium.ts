import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's chromium, never a downloaded browser (`LOUPE_CHROMIUM` names another build). */
export const CHROMIUM = process.env.LOUPE_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * `describe` for suites that need Chromium. Without it the suite fails under CI (it must not pass
 * by testing nothing) and is skipped loudly elsewhere.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const missing = `${CHROMIUM} not found (apt-get install chromium, or set LOUPE_CHROMIUM)`;
  if (process.env.CI) {
    describe(name, () => {
      throw new Error(`${name}: ${missing}; CI must run the browser suites`);
    });
    return;
  }
  console.warn(`\n*** SKIPPING "${name}": ${missing} ***\n`);
  describe.skip(`${name} [SKIPPED: ${missing}]`, body);
}

/** Polls `probe` until it returns a truthy value (the test's own timeout bounds the wait). */
export async function until<T>(probe: () => T | Promise<T>, intervalMs = 50): Promise<NonNullable<T>> {
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
