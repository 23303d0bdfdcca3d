import type { EventContext } from '@loupe/schema';

/** UTM tags of a query string as Segment's `context.campaign` (`utm_campaign` → `name`); undefined without any. */
export function parseCampaign(search: string): EventContext['campaign'] {
  let campaign: Record<string, string> | undefined;
  for (const [key, value] of new URLSearchParams(search)) {
    const field = /^utm_(source|medium|campaign|term|content)$/.exec(key)?.[1];
    if (field && value) (campaign ??= {})[field === 'campaign' ? 'name' : field] = value;
  }
  return campaign;
}
