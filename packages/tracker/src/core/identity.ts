import type { KeyValueStore } from './platform.js';
import { parseSession, type Session, touchSession } from './session.js';
import type { Properties, User } from './types.js';

/** Every key the tracker writes; `forget()` removes exactly these. */
export const STORAGE_KEYS = ['aid', 'uid', 'traits', 'session', 'segment'] as const;

// Writing the session on every event would be a storage write per event; 5 s of slack is nothing next to 30 min.
const SESSION_SAVE_MS = 5000;

export interface Identity {
  user(): User;
  /** Reads stored ids and starts persisting; the in-memory anonymous id is kept when none is stored. */
  persist(): Promise<void>;
  setUser(userId: string | null, traits?: Properties): void;
  /** The session id for an event at `time` (ms), given the campaign of its page. */
  session(time: number, campaign: string | null): number;
  /** New anonymous id, no user, no session. */
  reset(): void;
  /** Removes everything stored and stops persisting (consent withdrawn). */
  forget(): Promise<void>;
}

const parseTraits = (raw: string | null): Properties => {
  try {
    const value = raw ? (JSON.parse(raw) as unknown) : null;
    return value && typeof value === 'object' ? (value as Properties) : {};
  } catch {
    return {};
  }
};

export function createIdentity(kv: KeyValueStore, randomId: () => string, onError: (error: unknown) => void): Identity {
  let anonymousId = randomId();
  let userId: string | null = null;
  let traits: Properties = {};
  let session: Session | null = null;
  let savedSessionAt = 0;
  let persistent = false;

  const save = (key: (typeof STORAGE_KEYS)[number], value: string | null) => {
    if (!persistent) return;
    (value === null ? kv.remove(key) : kv.set(key, value)).catch(onError);
  };
  const saveUser = () => {
    save('aid', anonymousId);
    save('uid', userId);
    save('traits', Object.keys(traits).length ? JSON.stringify(traits) : null);
  };

  return {
    user: () => ({ anonymousId, userId, traits }),
    async persist() {
      if (persistent) return;
      const [aid, uid, storedTraits, storedSession] = await Promise.all(
        (['aid', 'uid', 'traits', 'session'] as const).map((key) => kv.get(key).catch(() => null)),
      );
      persistent = true;
      if (aid) anonymousId = aid;
      userId ??= uid ?? null;
      traits = { ...parseTraits(storedTraits ?? null), ...traits };
      session ??= parseSession(storedSession ?? null);
      saveUser();
    },
    setUser(next, more = {}) {
      if (next !== userId && userId !== null && next !== null) traits = {};
      userId = next;
      traits = { ...traits, ...more };
      saveUser();
    },
    session(time, campaign) {
      const previous = session;
      session = touchSession(session, time, campaign);
      if (session.id !== previous?.id || time - savedSessionAt >= SESSION_SAVE_MS) {
        savedSessionAt = time;
        save('session', JSON.stringify(session));
      }
      return session.id;
    },
    reset() {
      anonymousId = randomId();
      userId = null;
      traits = {};
      session = null;
      saveUser();
      save('session', null);
      save('segment', null);
    },
    async forget() {
      persistent = false;
      anonymousId = randomId();
      userId = null;
      traits = {};
      session = null;
      await Promise.all(STORAGE_KEYS.map((key) => kv.remove(key).catch(onError)));
    },
  };
}
