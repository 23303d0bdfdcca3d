// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsent } from '../create-consent.js';
import { createMemoryConsentStore } from '../store.js';
import { type BannerDecision, createBanner } from './create-banner.js';

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
});

async function mount(options: Partial<Parameters<typeof createBanner>[0]> = {}) {
  const consent = createConsent({ store: createMemoryConsentStore() });
  const decisions: BannerDecision[] = [];
  const banner = createBanner({ consent, onDecision: (d) => decisions.push(d), ...options });
  await consent.ready;
  const q = (selector: string) => banner.root.querySelector(selector) as HTMLElement;
  const dialogs = () => [...banner.root.querySelectorAll<HTMLElement>('[role="dialog"]')];
  const visible = () => dialogs().filter((d) => !d.hidden);
  const press = (key: string, shiftKey = false) =>
    document.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true }));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { consent, banner, decisions, q, dialogs, visible, press, settle };
}

describe('createBanner', () => {
  it('opens a modal first layer for an undecided visitor, with Accept all and Reject all alike', async () => {
    const { visible, banner } = await mount();
    const [first] = visible();
    expect(first?.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(first);
    const reject = banner.root.querySelector('[data-action="reject"]') as HTMLElement;
    const accept = banner.root.querySelector('[data-action="accept"]') as HTMLElement;
    expect(reject.className).toBe(accept.className);
    expect(reject.parentElement).toBe(accept.parentElement);
  });

  it('grants nothing on Esc, on a click on the backdrop, or on a scroll', async () => {
    const { consent, q, press, visible, decisions } = await mount();
    q('.lc-backdrop').click();
    window.dispatchEvent(new Event('scroll'));
    document.body.click();
    expect(visible()).toHaveLength(1);
    press('Escape');
    expect(visible()).toHaveLength(0);
    expect(consent.get()).toMatchObject({
      decided: false,
      categories: { analytics: false, personalization: false, marketing: false },
    });
    expect(decisions).toEqual([]);
    expect(q('.lc-settings').hidden).toBe(false);
  });

  it('accepts all, closes, keeps the settings entry and returns focus', async () => {
    const before = document.createElement('button');
    document.body.append(before);
    before.focus();
    const { consent, q, decisions, settle, visible } = await mount();
    q('[data-action="accept"]').click();
    // onDecision follows the digest of the banner text (Web Crypto, on the thread pool).
    await vi.waitFor(() => expect(decisions).toHaveLength(1), { timeout: 10_000 });
    expect(consent.get()).toMatchObject({
      decided: true,
      source: 'banner',
      categories: { analytics: true, personalization: true, marketing: true },
    });
    expect(visible()).toHaveLength(0);
    expect(document.activeElement).toBe(before);
    expect(q('.lc-settings').hidden).toBe(false);
    expect(decisions[0]).toMatchObject({
      reason: 'grant',
      language: 'en',
      bannerHash: expect.stringMatching(/^(sha256|fnv1a):[0-9a-f]+$/),
    });
  });

  it('saves the categories chosen in the preferences, none of them ticked beforehand', async () => {
    const { consent, q, banner } = await mount();
    q('[data-action="preferences"]').click();
    const boxes = [...banner.root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => [b.id.replace('loupe-consent-cat-', ''), b.checked, b.disabled])).toEqual([
      ['necessary', true, true],
      ['analytics', false, false],
      ['personalization', false, false],
      ['marketing', false, false],
    ]);
    (boxes[1] as HTMLInputElement).click();
    q('[data-action="save"]').click();
    expect(consent.get().categories).toMatchObject({ analytics: true, personalization: false, marketing: false });
  });

  it('records a withdrawal made in the preferences as a revoke', async () => {
    const { consent, q, decisions, settle } = await mount();
    q('[data-action="accept"]').click();
    q('.lc-settings').click();
    (q('#loupe-consent-cat-analytics') as HTMLInputElement).click();
    q('[data-action="save"]').click();
    await vi.waitFor(() => expect(decisions).toHaveLength(2), { timeout: 10_000 });
    expect(consent.has('analytics')).toBe(false);
    expect(decisions.map((d) => d.reason)).toEqual(['grant', 'revoke']);
  });

  it('closing the preferences of an undecided visitor goes back to the first layer, granting nothing', async () => {
    const { consent, q, press, visible } = await mount();
    q('[data-action="preferences"]').click();
    (q('#loupe-consent-cat-marketing') as HTMLInputElement).click();
    press('Escape');
    expect(visible()[0]?.getAttribute('aria-labelledby')).toBe('loupe-consent-title');
    expect(consent.get().decided).toBe(false);
  });

  it('keeps Tab and Shift+Tab inside the open dialog', async () => {
    const { press, visible } = await mount();
    const dialog = visible()[0] as HTMLElement;
    const buttons = [...dialog.querySelectorAll('button')];
    (buttons[buttons.length - 1] as HTMLElement).focus();
    press('Tab');
    expect(document.activeElement).toBe(buttons[0]);
    press('Tab', true);
    expect(document.activeElement).toBe(buttons[buttons.length - 1]);
  });

  it('uses the nonce for its style element and sets no inline style', async () => {
    const { banner } = await mount({ nonce: 'n0nce' });
    const style = document.head.querySelector('style');
    expect(style?.nonce || style?.getAttribute('nonce')).toBe('n0nce');
    expect(banner.root.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('shows replaced strings and their language', async () => {
    const { banner } = await mount({ strings: { lang: 'fr', acceptAll: 'Tout accepter', rejectAll: 'Tout refuser' } });
    expect(banner.root.lang).toBe('fr');
    expect(banner.root.textContent).toContain('Tout accepter');
    expect(banner.root.textContent).toContain('Tout refuser');
  });

  it('closes the first layer when a decision is made elsewhere (the page API, a CMP)', async () => {
    const { consent, visible, q } = await mount();
    consent.deny(undefined, 'tcf');
    expect(visible()).toHaveLength(0);
    expect(q('.lc-settings').hidden).toBe(false);
  });

  it('stays closed for a visitor who already decided, with the settings entry shown', async () => {
    const consent = createConsent({
      store: createMemoryConsentStore(JSON.stringify({ v: '1', c: { analytics: true } })),
    });
    const banner = createBanner({ consent });
    await consent.ready;
    await Promise.resolve();
    expect([...banner.root.querySelectorAll<HTMLElement>('[role="dialog"]')].every((d) => d.hidden)).toBe(true);
    expect((banner.root.querySelector('.lc-settings') as HTMLElement).hidden).toBe(false);
  });
});
