import { defaultDbPath, flag, list, parse, str, UsageError } from './args.js';
import { openStore } from './open-store.js';
import { privacyStoreOf } from '../storage/privacy-store-of.js';

const USAGE =
  'loupe keys create --origin https://shop.example [--origin …] [--require-consent] [--cookieless] [--name N] [--db …]\n       loupe keys list [--db …]';

export async function keysCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      origin: { type: 'string', multiple: true },
      'require-consent': { type: 'boolean', default: false },
      /** Anonymous page counts without consent (POST /v1/count); off by default. */
      cookieless: { type: 'boolean', default: false },
      'retention-days': { type: 'string' },
      name: { type: 'string' },
      db: { type: 'string', default: defaultDbPath() },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
    },
    USAGE,
  );
  const action = args.positionals[0];
  const store = await openStore({ db: str(args, 'db') as string, databaseUrl: str(args, 'database-url') });
  try {
    if (action === 'create') {
      const origins = list(args, 'origin').map(normalizeOrigin);
      if (origins.length === 0)
        throw new UsageError(`at least one --origin is required (use '*' to allow any)\n\nusage: ${USAGE}`);
      const retention = str(args, 'retention-days') === undefined ? undefined : Number(str(args, 'retention-days'));
      if (retention !== undefined && !(retention > 0))
        throw new UsageError('--retention-days must be a positive number');
      const key = await store.createKey({
        origins,
        requireConsent: flag(args, 'require-consent'),
        name: str(args, 'name') ?? null,
        ...(retention ? { retentionDays: retention } : {}),
      });
      if (flag(args, 'cookieless')) {
        const privacy = privacyStoreOf(store);
        if (!privacy) throw new UsageError(`the ${store.kind} store does not support --cookieless yet`);
        await privacy.setKeyPrivacy(key.key, { cookieless: true });
      }
      process.stdout.write(`${key.key}\n`);
      return 0;
    }
    if (action === 'list') {
      for (const k of await store.listKeys()) {
        process.stdout.write(
          `${k.key}\t${k.origins.join(',')}\t${k.requireConsent ? 'consent-required' : 'consent-optional'}\t${k.name ?? ''}\n`,
        );
      }
      return 0;
    }
    throw new UsageError(`usage: ${USAGE}`);
  } finally {
    await store.close();
  }
}

/** `https://Shop.example/` → `https://shop.example`: browsers send origins without a path. */
function normalizeOrigin(value: string): string {
  if (value === '*') return value;
  try {
    return new URL(value).origin;
  } catch {
    throw new UsageError(`"${value}" is not an origin like https://shop.example`);
  }
}
