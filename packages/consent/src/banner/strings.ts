/** Every word the banner shows; replace any of them (another language, your own wording). */
export interface BannerStrings {
  /** BCP 47 language of these strings, set as `lang` on the banner and sent with each record. */
  lang: string;
  title: string;
  text: string;
  acceptAll: string;
  rejectAll: string;
  preferences: string;
  preferencesTitle: string;
  save: string;
  close: string;
  settings: string;
  policyLink: string;
  necessary: string;
  necessaryText: string;
  analytics: string;
  analyticsText: string;
  personalization: string;
  personalizationText: string;
  marketing: string;
  marketingText: string;
}

export const DEFAULT_STRINGS: BannerStrings = {
  lang: 'en',
  title: 'Your privacy choices',
  text: 'We would like to measure how this site is used and adapt what it shows you. Nothing is stored or sent until you choose, and you can change your mind at any time under “Privacy settings”.',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  preferences: 'Choose what to allow',
  preferencesTitle: 'Privacy preferences',
  save: 'Save my choices',
  close: 'Close',
  settings: 'Privacy settings',
  policyLink: 'Privacy policy',
  necessary: 'Necessary',
  necessaryText: 'Remembers the choice you make here. Always on.',
  analytics: 'Analytics',
  analyticsText: 'Counts visits and clicks so we can see how the site is used.',
  personalization: 'Personalization',
  personalizationText: 'Adapts what the site shows you to how you browse it.',
  marketing: 'Marketing',
  marketingText: 'Lets advertising partners measure and personalize ads.',
};
