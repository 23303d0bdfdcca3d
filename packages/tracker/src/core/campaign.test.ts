import { describe, expect, it } from 'vitest';
import { campaignKey, parseCampaign } from './campaign.js';

describe('parseCampaign', () => {
  it('maps UTM tags to Segment campaign fields', () => {
    expect(parseCampaign('?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&utm_term=shoes&utm_content=hero&x=1')).toEqual({
      source: 'news',
      medium: 'email',
      name: 'spring sale',
      term: 'shoes',
      content: 'hero',
    });
  });

  it('returns undefined without UTM tags', () => {
    expect(parseCampaign('?q=shoes')).toBeUndefined();
    expect(parseCampaign('')).toBeUndefined();
  });
});

describe('campaignKey', () => {
  it('differs between campaigns and is null without one', () => {
    expect(campaignKey(parseCampaign('utm_source=a'))).not.toBe(campaignKey(parseCampaign('utm_source=b')));
    expect(campaignKey(undefined)).toBeNull();
  });
});
