import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's chromium (never a downloaded browser), with the switches that keep it quiet and offline. */
export const CHROMIUM = process.env.LOUPE_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
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
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
  const missing = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set LOUPE_CHROMIUM)`;
  if (process.env.CI) {
    describe(name, () => {
      throw new Error(`${missing}. CI must run the browser journeys.`);
    });
    return;
  }
  console.warn(`\n⚠ SKIPPING "${name}": ${missing}.\n`);
  describe.skip(`${name} [SKIPPED: ${missing}]`, body);
}
