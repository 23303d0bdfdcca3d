import type { Store, StoredEvent } from '../storage/types.js';

export interface UserExport {
  id: string;
  /** Every id joined to the requested one through identify or alias, itself included. */
  linkedIds: string[];
  exportedAt: string;
  events: StoredEvent[];
  /** Extra sections (profiles, consent records) contributed by other parts of the collector. */
  [section: string]: unknown;
}

export interface ErasureReport {
  id: string;
  linkedIds: string[];
  erasedAt: string;
  deleted: Record<string, number>;
}

/** A part of the collector that holds personal data adds a section to exports and to erasure. */
export interface PrivacySection {
  name: string;
  export(ids: readonly string[]): Promise<unknown>;
  erase(ids: readonly string[]): Promise<number>;
}

export interface PrivacyService {
  exportUser(id: string, actor: string): Promise<UserExport>;
  eraseUser(id: string, actor: string): Promise<ErasureReport>;
  /**
   * A browser's own erasure request (`eraseOnRevoke`): that anonymous id alone, never the ids it is
   * linked to, since knowing an anonymous id must not let anyone erase a user's account.
   */
  eraseAnonymous(anonymousId: string, actor: string): Promise<ErasureReport>;
}

export function createPrivacyService({
  store,
  clock,
  sections = [],
}: {
  store: Store;
  clock: () => Date;
  sections?: readonly PrivacySection[];
}): PrivacyService {
  async function erase(id: string, linkedIds: string[], actor: string, action: string): Promise<ErasureReport> {
    const deleted: Record<string, number> = {};
    for (const section of sections) deleted[section.name] = await section.erase(linkedIds);
    deleted.events = await store.deleteEventsForIds(linkedIds);
    deleted.identityLinks = await store.deleteLinksForIds(linkedIds);
    const erasedAt = clock().toISOString();
    await store.appendAudit({
      at: erasedAt,
      actor,
      action,
      subject: id,
      detail: { linkedIds: linkedIds.length, ...deleted },
    });
    return { id, linkedIds, erasedAt, deleted };
  }

  return {
    async exportUser(id, actor) {
      const linkedIds = await store.linkedIds(id);
      const events = await store.eventsForIds(linkedIds);
      const extra: Record<string, unknown> = {};
      for (const section of sections) extra[section.name] = await section.export(linkedIds);
      const exportedAt = clock().toISOString();
      // The audit log names who asked and how much left, never the data itself.
      await store.appendAudit({
        at: exportedAt,
        actor,
        action: 'user.export',
        subject: id,
        detail: { linkedIds: linkedIds.length, events: events.length },
      });
      return { id, linkedIds, exportedAt, events, ...extra };
    },

    eraseUser: async (id, actor) => erase(id, await store.linkedIds(id), actor, 'user.erase'),
    eraseAnonymous: (anonymousId, actor) => erase(anonymousId, [anonymousId], actor, 'anonymous.erase'),
  };
}
