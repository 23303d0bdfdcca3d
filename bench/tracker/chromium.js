import { chromium } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this machine's closed network needs (as test/helpers/chromium.ts). */
export const launchChromium = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
