import type { ConsentCategory } from '@loupe/schema';
import { allCategories } from '../categories.js';
import type { Consent } from '../create-consent.js';
import type { ConsentReason, ConsentState } from '../state.js';
import { attachStyles } from './attach-styles.js';
import { h } from './dom.js';
import { focusables, trapTab } from './focus-trap.js';
import { type BannerStrings, DEFAULT_STRINGS } from './strings.js';
import { BANNER_CSS } from './styles.js';
import { textHash } from './text-hash.js';

type Optional = Exclude<ConsentCategory, 'necessary'>;

/** A decision made in the banner, with the digest of the wording shown. */
export interface BannerDecision {
  state: ConsentState;
  reason: ConsentReason;
  bannerHash: string;
  language: string;
  /** What `subject()` returned just before the decision applied (a withdrawal forgets the id). */
  subject?: string | undefined;
}

export interface BannerOptions {
  /** The page's consent (the tracker's `loupe.consent`, or `createConsent()`); read lazily, so it may change. */
  consent: Consent | (() => Consent);
  strings?: Partial<BannerStrings>;
  /** The page's CSP nonce for the `<style>` element (a strict `style-src 'nonce-…'`). */
  nonce?: string;
  /** Categories asked about, in this order (default analytics, personalization, marketing). */
  categories?: readonly Optional[];
  privacyPolicyUrl?: string;
  /** Where the banner is added (default `document.body`). */
  container?: HTMLElement;
  /** The id a record is filed under (the tracker's anonymous id), read before a decision applies. */
  subject?: () => string | undefined;
  /** After each choice made in the banner (record it with `POST /v1/consent`). */
  onDecision?: (decision: BannerDecision) => void;
}

export interface Banner {
  /** The first layer (Accept all / Reject all / Choose), shown by itself while undecided. */
  show(): void;
  /** The preferences dialog, one switch per category. */
  openPreferences(): void;
  close(): void;
  destroy(): void;
  readonly root: HTMLElement;
}

const OPTIONAL: readonly Optional[] = ['analytics', 'personalization', 'marketing'];

/**
 * The consent banner: a modal first layer where Accept all and Reject all look the same, a
 * preferences dialog, and a "Privacy settings" button that stays once a choice is made. Esc,
 * closing, scrolling and clicks outside never grant anything: only the buttons decide.
 *
 * @example
 * const banner = createBanner({ consent: loupe.consent, nonce: document.currentScript?.nonce });
 */
export function createBanner(options: BannerOptions): Banner {
  const { categories = OPTIONAL, privacyPolicyUrl, onDecision } = options;
  const current = typeof options.consent === 'function' ? options.consent : () => options.consent as Consent;
  const s: BannerStrings = { ...DEFAULT_STRINGS, ...options.strings };
  const doc = (options.container ?? document.body).ownerDocument;
  const id = (name: string) => `loupe-consent-${name}`;
  const detachStyles = attachStyles(doc, BANNER_CSS, options.nonce);

  const button = (action: string, label: string, className = 'lc-btn', extra = {}) =>
    h(doc, 'button', { type: 'button', class: className, 'data-action': action, ...extra }, label);

  const policy = privacyPolicyUrl ? [' ', h(doc, 'a', { href: privacyPolicyUrl }, s.policyLink)] : [];
  const first = h(
    doc,
    'div',
    {
      class: 'lc-dialog',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': id('title'),
      'aria-describedby': id('text'),
      tabindex: '-1',
      hidden: true,
    },
    h(doc, 'h2', { id: id('title') }, s.title),
    h(doc, 'p', { id: id('text') }, s.text, ...policy),
    h(doc, 'div', { class: 'lc-actions' }, button('reject', s.rejectAll), button('accept', s.acceptAll)),
    button('preferences', s.preferences, 'lc-link'),
  );

  const boxes = new Map<Optional, HTMLInputElement>();
  const row = (category: ConsentCategory, label: string, text: string) => {
    const input = h(doc, 'input', {
      type: 'checkbox',
      id: id(`cat-${category}`),
      'aria-describedby': id(`desc-${category}`),
    }) as HTMLInputElement;
    if (category === 'necessary') input.checked = input.disabled = true;
    else boxes.set(category, input);
    return h(
      doc,
      'li',
      {},
      input,
      h(doc, 'label', { for: input.id }, label),
      h(doc, 'p', { id: id(`desc-${category}`) }, text),
    );
  };
  const prefs = h(
    doc,
    'div',
    {
      class: 'lc-dialog',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': id('prefs-title'),
      tabindex: '-1',
      hidden: true,
    },
    h(doc, 'h2', { id: id('prefs-title') }, s.preferencesTitle),
    button('close', '×', 'lc-close', { 'aria-label': s.close }),
    h(
      doc,
      'ul',
      { class: 'lc-categories' },
      row('necessary', s.necessary, s.necessaryText),
      ...categories.map((c) => row(c, s[c], s[`${c}Text`])),
    ),
    h(
      doc,
      'div',
      { class: 'lc-actions' },
      button('reject', s.rejectAll),
      button('accept', s.acceptAll),
      button('save', s.save),
    ),
  );
  const backdrop = h(doc, 'div', { class: 'lc-backdrop', hidden: true });
  const settings = button('settings', s.settings, 'lc-settings', { hidden: true, 'aria-haspopup': 'dialog' });
  const root = h(doc, 'div', { class: 'lc-root', lang: s.lang }, backdrop, first, prefs, settings);
  (options.container ?? doc.body).append(root);

  const shown = [first.textContent, prefs.textContent].join('\n');
  const hash = textHash(shown).catch(() => 'unavailable');
  let open: HTMLElement | null = null;
  let returnTo: HTMLElement | null = null;

  const openDialog = (dialog: HTMLElement) => {
    if (!open) {
      const active = doc.activeElement;
      returnTo = active instanceof HTMLElement && active !== doc.body ? active : null;
    }
    if (open && open !== dialog) open.hidden = true;
    open = dialog;
    dialog.hidden = backdrop.hidden = false;
    settings.hidden = true;
    dialog.focus();
  };

  const close = () => {
    if (!open) return;
    open.hidden = true;
    open = null;
    backdrop.hidden = true;
    settings.hidden = false;
    // Back to where the visitor was, or to the settings entry that reopens the banner.
    (returnTo?.isConnected ? returnTo : settings).focus();
    returnTo = null;
  };

  const openPreferences = () => {
    const { categories: state } = current().get();
    for (const [category, box] of boxes) box.checked = state[category];
    openDialog(prefs);
  };

  const decide = (reason: ConsentReason, changes: Partial<Record<Optional, boolean>>) => {
    const consent = current();
    const subject = options.subject?.();
    // Taking back something granted is a withdrawal, whichever button did it.
    const withdrawing = OPTIONAL.some((c) => consent.has(c) && changes[c] === false);
    const why: ConsentReason = withdrawing && reason !== 'grant' ? 'revoke' : reason;
    const state = consent.update(changes, { source: 'banner', reason: why });
    close();
    if (onDecision)
      hash.then((bannerHash) => onDecision({ state, reason: why, bannerHash, language: s.lang, subject }));
  };

  const actions: Record<string, () => void> = {
    accept: () => decide('grant', allCategories(true)),
    reject: () => decide('deny', allCategories(false)),
    save: () => decide('update', Object.fromEntries([...boxes].map(([c, box]) => [c, box.checked]))),
    preferences: openPreferences,
    settings: openPreferences,
    close: () => (prefs === open && !current().get().decided ? openDialog(first) : close()),
  };

  const onClick = (event: Event) => {
    const target = (event.target as Element | null)?.closest?.('[data-action]');
    const action = target && root.contains(target) ? actions[target.getAttribute('data-action') ?? ''] : undefined;
    // A click on the backdrop or anywhere else does nothing: only the buttons decide.
    action?.();
  };
  const onKeydown = (event: KeyboardEvent) => {
    if (!open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      actions.close?.();
    } else if (trapTab(open, event)) event.preventDefault();
  };
  // Focus that leaves an open modal (a click outside, a script) is brought back into it.
  const onFocusIn = (event: FocusEvent) => {
    if (open && event.target instanceof Node && !open.contains(event.target)) (focusables(open)[0] ?? open).focus();
  };
  root.addEventListener('click', onClick);
  doc.addEventListener('keydown', onKeydown, true);
  doc.addEventListener('focusin', onFocusIn);

  const consent = current();
  // A decision made elsewhere (the page's API, a TCF CMP) answers the first layer too.
  const stopFollowing = consent.onChange(({ state }) => {
    if (state.decided && open === first) close();
  });
  consent.ready.then(
    (state) => {
      if (open) return;
      if (current().get().decided || state.decided) settings.hidden = false;
      else openDialog(first);
    },
    () => openDialog(first),
  );

  return {
    show: () => openDialog(first),
    openPreferences,
    close,
    destroy() {
      stopFollowing();
      root.removeEventListener('click', onClick);
      doc.removeEventListener('keydown', onKeydown, true);
      doc.removeEventListener('focusin', onFocusIn);
      root.remove();
      detachStyles();
    },
    root,
  };
}
