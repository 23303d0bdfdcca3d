import { describe, expect, it } from 'vitest';
import { parseSession, SESSION_TIMEOUT_MS, touchSession } from './session.js';

const start = 1_700_000_000_000;

describe('touchSession', () => {
  it('starts a session on the first event', () => {
    expect(touchSession(null, start, null)).toEqual({ id: start, lastActivity: start, campaign: '' });
  });

  it('keeps the session while events come within 30 minutes of each other', () => {
    let session = touchSession(null, start, null);
    for (let i = 1; i <= 5; i++) session = touchSession(session, start + i * (SESSION_TIMEOUT_MS - 1), null);
    expect(session.id).toBe(start);
  });

  it('starts a new session after 30 minutes without events', () => {
    const first = touchSession(null, start, null);
    const next = touchSession(first, start + SESSION_TIMEOUT_MS, null);
    expect(next.id).toBe(start + SESSION_TIMEOUT_MS);
  });

  it('starts a new session when the visitor arrives from another campaign', () => {
    const first = touchSession(null, start, 'google|cpc|spring');
    expect(touchSession(first, start + 1000, 'google|cpc|spring').id).toBe(start);
    expect(touchSession(first, start + 2000, 'news|email|summer').id).toBe(start + 2000);
  });

  it('keeps the session on pages without campaign tags', () => {
    const first = touchSession(null, start, 'google|cpc|spring');
    expect(touchSession(first, start + 1000, null)).toMatchObject({ id: start, campaign: 'google|cpc|spring' });
  });

  it('starts over when the clock went backwards past the session start', () => {
    const first = touchSession(null, start, null);
    expect(touchSession(first, start - 10, null).id).toBe(start - 10);
  });
});

describe('parseSession', () => {
  it('round-trips a stored session and rejects garbage', () => {
    const session = touchSession(null, start, 'x');
    expect(parseSession(JSON.parse(JSON.stringify(session)))).toEqual(session);
    expect(parseSession({ id: 'nope' })).toBeNull();
    expect(parseSession('{')).toBeNull();
    expect(parseSession(7)).toBeNull();
    expect(parseSession(null)).toBeNull();
  });
});
