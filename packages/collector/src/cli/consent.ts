import { createConsentRecordService } from '../services/consent-records.js';
import { privacyStoreOf } from '../storage/privacy-store-of.js';
import { defaultDbPath, parse, str, UsageError } from './args.js';
import { openStore } from './open-store.js';

const USAGE = 'loupe consent verify [--db ./data/loupe.db | --database-url postgres://…]';

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export const STD: CommandOutput = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const REASONS = {
  seq: 'a record is missing or out of order before it',
  prev_hash: 'its prevHash is not the hash of the record before it',
  hash: 'its hash does not cover its body (the record was edited)',
  body: 'its body is not the JSON that was hashed',
  columns: 'its columns disagree with its hashed body (a column was edited)',
} as const;

/**
 * `loupe consent verify`: walks the consent chain from the first record and exits 1 naming the
 * first record that breaks it, 0 when every link holds. The check is written to the audit log.
 */
export async function consentCommand(argv: string[], io: CommandOutput = STD): Promise<number> {
  const args = parse(
    argv,
    {
      db: { type: 'string', default: defaultDbPath() },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
    },
    USAGE,
  );
  if (args.positionals[0] !== 'verify') throw new UsageError(`usage: ${USAGE}`);
  const store = await openStore({ db: str(args, 'db') as string, databaseUrl: str(args, 'database-url') });
  try {
    const privacy = privacyStoreOf(store);
    if (!privacy) throw new UsageError(`the ${store.kind} store keeps no consent records yet`);
    const check = await createConsentRecordService({ store: privacy, clock: () => new Date() }).verify();
    await store.appendAudit({
      at: new Date().toISOString(),
      actor: 'cli',
      action: 'consent.verify',
      subject: 'consent_records',
      detail: { ok: check.ok, checked: check.checked, ...(check.broken ? { brokenSeq: check.broken.seq } : {}) },
    });
    if (check.ok) {
      io.out(`consent chain intact: ${check.checked} record${check.checked === 1 ? '' : 's'} verified\n`);
      return 0;
    }
    const broken = check.broken as NonNullable<typeof check.broken>;
    io.err(`consent chain broken at record #${broken.seq} (id ${broken.id}): ${REASONS[broken.reason]}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
