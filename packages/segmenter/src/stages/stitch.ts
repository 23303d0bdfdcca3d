import type { SourceIdentityLink } from '../types.js';

/**
 * Joins anonymous ids to user ids (union-find over identity links), so one person's devices make one
 * profile. Two distinct user ids are never merged: a shared device stays with the first user who
 * signed in on it.
 */
export interface IdentityGraph {
  /** Adds a link; returns false when it would merge two distinct user ids (the link is then ignored). */
  link(link: Pick<SourceIdentityLink, 'anonymousId' | 'userId'>): boolean;
  /** The profile key for an event's ids: `u:<userId>` for identified people, `a:<anonymousId>` otherwise. */
  profileKey(ids: { anonymousId?: string | null; userId?: string | null }): string | null;
}

const userNode = (id: string) => `u:${id}`;
const anonNode = (id: string) => `a:${id}`;

export function createIdentityGraph(): IdentityGraph {
  const parent = new Map<string, string>();
  // The user id of each set, kept on its root.
  const userOf = new Map<string, string>();

  const find = (node: string): string => {
    let root = node;
    for (let next = parent.get(root); next !== undefined && next !== root; next = parent.get(root)) root = next;
    // Path compression keeps later finds O(α(n)).
    for (let cur = node; cur !== root; ) {
      const next = parent.get(cur) ?? root;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };

  const union = (a: string, b: string): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return true;
    const ua = userOf.get(ra);
    const ub = userOf.get(rb);
    if (ua !== undefined && ub !== undefined && ua !== ub) return false;
    // The set's root is its user node when it has one, so profile keys read as `u:<userId>`.
    const [root, child] = ub !== undefined && ua === undefined ? [rb, ra] : [ra, rb];
    parent.set(child, root);
    const user = ua ?? ub;
    if (user !== undefined) userOf.set(root, user);
    return true;
  };

  return {
    link({ anonymousId, userId }) {
      const u = userNode(userId);
      if (!parent.has(u)) {
        parent.set(u, u);
        userOf.set(u, userId);
      }
      const a = anonNode(anonymousId);
      if (!parent.has(a)) parent.set(a, a);
      return union(u, a);
    },
    profileKey({ anonymousId, userId }) {
      if (userId) {
        const u = userNode(userId);
        return parent.has(u) ? find(u) : u;
      }
      if (anonymousId) {
        const a = anonNode(anonymousId);
        return parent.has(a) ? find(a) : a;
      }
      return null;
    },
  };
}
