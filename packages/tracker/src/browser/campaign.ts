import type { EventContext } from '@loupe/schema';

/** UTM tags of a query string as Segment's `context.campaign` (`utm_campaign` → `name`); undefined without any. */
export function parseCampaign(search: string): EventContext['campaign'] {
  let campaign: Record<string, string> | undefined;
  for (const [key, value] of new URLSearchParams(search))
    if (value && /^utm_(source|medium|campaign|term|content)$/.test(key))
      (campaign ??= {})[key === 'utm_campaign' ? 'name' : key.slice(4)] = value;
  return campaign;
}
