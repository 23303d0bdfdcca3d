import type { EventContext } from '@loupe/schema';
import type { KeyValueStore } from './platform.js';
import { parseSession, type Session, touchSession } from './session.js';
import { readJson } from './stored-json.js';
import type { Properties, User } from './types.js';

/** Every key the tracker writes; `forget()` removes exactly these. */
export const STORAGE_KEYS = ['user', 'session', 'segment'] as const;

// Writing the session on every event would be a storage write per event; 5 s of slack is nothing next to 30 min.
const SESSION_SAVE_MS = 5000;

export interface Identity {
  user(): User;
  /** Reads stored ids and starts persisting; the in-memory anonymous id is kept when none is stored. */
  load(): Promise<void>;
  setUser(userId: string | null, traits?: Properties): void;
  /** The session id for an event at `time` (ms), given the campaign of its page (UTM tags). */
  session(time: number, campaign: EventContext['campaign']): number;
  /** New anonymous id, no user, no session. */
  reset(): void;
  /** Removes everything stored and stops persisting (consent withdrawn). */
  forget(): Promise<void>;
}

export function createIdentity(kv: KeyValueStore, randomId: () => string, onError: (error: unknown) => void): Identity {
  const fresh = (): User => ({ anonymousId: randomId(), userId: null, traits: {} });
  let user = fresh();
  let session: Session | null = null;
  let savedAt = 0;
  let persistent = false;
  const save = (key: (typeof STORAGE_KEYS)[number], value: unknown) => {
    if (persistent) kv.set(key, JSON.stringify(value)).catch(onError);
  };

  return {
    user: () => user,
    async load() {
      if (persistent) return;
      const [stored, storedSession] = await Promise.all([readJson(kv, 'user'), readJson(kv, 'session')]);
      persistent = true;
      user = { ...user, ...(stored as Partial<User> | null) };
      session ??= parseSession(storedSession);
      save('user', user);
    },
    setUser(userId, traits = {}) {
      // Another user on this device: their traits are not this one's.
      const kept = user.userId && userId !== user.userId ? {} : user.traits;
      user = { ...user, userId, traits: { ...kept, ...traits } };
      save('user', user);
    },
    session(time, campaign) {
      const previous = session;
      session = touchSession(session, time, campaign ? JSON.stringify(campaign) : null);
      if (session.id !== previous?.id || time - savedAt >= SESSION_SAVE_MS) {
        savedAt = time;
        save('session', session);
      }
      return session.id;
    },
    reset() {
      user = fresh();
      session = null;
      save('user', user);
    },
    forget() {
      persistent = false;
      user = fresh();
      session = null;
      return Promise.all(STORAGE_KEYS.map((key) => kv.remove(key))).then(() => {}, onError);
    },
  };
}
