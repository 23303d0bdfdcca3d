/** Segment's, GA's and Amplitude's default: a session ends after 30 minutes without events. */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

export interface Session {
  /** The session's start time in ms: unique per visitor, sortable, short on the wire. */
  id: number;
  lastActivity: number;
  /** The campaign the session came from ('' for none). */
  campaign: string;
}

/**
 * The session an event at `now` belongs to: the current one, or a new one after the timeout or
 * when the visitor arrives from another campaign (`campaign` is null on pages without UTM tags).
 */
export function touchSession(
  current: Session | null,
  now: number,
  campaign: string | null,
  timeoutMs = SESSION_TIMEOUT_MS,
): Session {
  const expired = !current || now - current.lastActivity >= timeoutMs || now < current.id;
  const newCampaign = campaign !== null && current !== null && campaign !== current.campaign;
  if (expired || newCampaign) return { id: now, lastActivity: now, campaign: campaign ?? '' };
  return { ...current, lastActivity: now };
}

/**
 * A stored session (parsed JSON), or null when it is not one: a numeric id and a last activity no
 * earlier than it (a comparison with anything but a number is false).
 */
export function parseSession(value: unknown): Session | null {
  const session = value as Session | null;
  return typeof session?.id === 'number' && session.lastActivity >= session.id ? session : null;
}
