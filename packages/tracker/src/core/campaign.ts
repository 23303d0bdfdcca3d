import type { EventContext } from '@loupe/schema';

type Campaign = NonNullable<EventContext['campaign']>;

const UTM: Record<string, keyof Campaign> = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'name',
  utm_term: 'term',
  utm_content: 'content',
};

/** Reads UTM tags from a query string (`?utm_source=…`); undefined when there are none. */
export function parseCampaign(search: string): Campaign | undefined {
  let campaign: Campaign | undefined;
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const [rawKey = '', rawValue = ''] = pair.split('=');
    const field = UTM[rawKey.toLowerCase()];
    if (!field || !rawValue) continue;
    let value = rawValue;
    try {
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      // Keep the raw value.
    }
    campaign ??= {};
    campaign[field] = value;
  }
  return campaign;
}

/** A key that changes when the visitor arrives from another campaign; null without UTM tags. */
export function campaignKey(campaign: Campaign | undefined): string | null {
  return campaign ? [campaign.source, campaign.medium, campaign.name, campaign.term, campaign.content].join('|') : null;
}
