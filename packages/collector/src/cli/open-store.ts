import { createPostgresStore } from '../storage/postgres/index.js';
import { createSqliteStore } from '../storage/sqlite/index.js';
import type { Store } from '../storage/types.js';

/** The store a command works on: PostgreSQL when a URL is given, else the SQLite file. */
export async function openStore({ db, databaseUrl }: { db: string; databaseUrl?: string | undefined }): Promise<Store> {
  if (databaseUrl) return createPostgresStore({ connectionString: databaseUrl });
  return createSqliteStore({ path: db });
}
