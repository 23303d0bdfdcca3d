import { createSqliteStore } from '../storage/sqlite/index.js';
import type { Store } from '../storage/types.js';
import { UsageError } from './args.js';

/** The store a command works on: PostgreSQL when a URL is given, else the SQLite file. */
export async function openStore({ db, databaseUrl }: { db: string; databaseUrl?: string | undefined }): Promise<Store> {
  if (databaseUrl) throw new UsageError('the PostgreSQL adapter is not built yet: use --db');
  return createSqliteStore({ path: db });
}
