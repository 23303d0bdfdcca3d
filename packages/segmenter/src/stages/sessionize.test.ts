import { describe, expect, it } from 'vitest';
import { campaignOf, SESSION_GAP_MS, startsNewSession } from './sessionize.js';

const minute = 60_000;
const open = { start: 0, last: 10 * minute, campaign: '' };

describe('sessionize', () => {
  it('opens a session for the first event', () => {
    expect(startsNewSession(null, 0, '')).toBe(true);
  });

  it('keeps a visit going under 30 minutes of inactivity', () => {
    expect(startsNewSession(open, open.last + SESSION_GAP_MS, '')).toBe(false);
  });

  it('starts a new visit after more than 30 minutes of inactivity', () => {
    expect(startsNewSession(open, open.last + SESSION_GAP_MS + 1, '')).toBe(true);
  });

  it('puts a late event from long before the visit began into an earlier visit', () => {
    expect(startsNewSession(open, open.start - SESSION_GAP_MS, '')).toBe(false);
    expect(startsNewSession(open, open.start - SESSION_GAP_MS - 1, '')).toBe(true);
  });

  it('starts a new visit when a new campaign arrives mid-visit', () => {
    const fromAd = { ...open, campaign: 'google/cpc/spring' };
    expect(startsNewSession(fromAd, fromAd.last + minute, 'newsletter/email/may')).toBe(true);
    expect(startsNewSession(fromAd, fromAd.last + minute, 'google/cpc/spring')).toBe(false);
    expect(startsNewSession(fromAd, fromAd.last + minute, '')).toBe(false);
  });

  it('reads the campaign from the event context', () => {
    expect(campaignOf({ payload: { context: { campaign: { source: 'google', medium: 'cpc', name: 'x' } } } })).toBe(
      'google/cpc/x',
    );
    expect(campaignOf({ payload: {} })).toBe('');
  });
});
