// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { parseCampaign } from './campaign.js';

describe('parseCampaign', () => {
  it('maps UTM tags to Segment campaign fields', () => {
    expect(
      parseCampaign('?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&utm_term=shoes&utm_content=hero&x=1'),
    ).toEqual({
      source: 'news',
      medium: 'email',
      name: 'spring sale',
      term: 'shoes',
      content: 'hero',
    });
  });

  it('returns undefined without UTM tags', () => {
    expect(parseCampaign('?q=shoes&utm_source=')).toBeUndefined();
    expect(parseCampaign('')).toBeUndefined();
  });
});
