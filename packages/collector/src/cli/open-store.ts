import { sqliteOptionsFromEnv } from '../config.js';
import { createLogger } from '../services/log.js';
import { createPostgresStore } from '../storage/postgres/index.js';
import { createSqliteStore } from '../storage/sqlite/index.js';
import type { Store } from '../storage/types.js';

/** The store a command works on: PostgreSQL when a URL is given, else the SQLite file. */
export async function openStore({
  db,
  databaseUrl,
  bulk = false,
}: {
  db: string;
  databaseUrl?: string | undefined;
  /** A one-shot bulk write (an import): SQLite inserts into the events table directly, with no ingest log to outrun. */
  bulk?: boolean;
}): Promise<Store> {
  if (databaseUrl) {
    const logger = createLogger();
    return createPostgresStore({
      connectionString: databaseUrl,
      // The pool replaces the connection by itself; the log says why queries may have failed.
      onIdleError: (error) => logger.log('warn', 'a pooled PostgreSQL connection failed', { message: error.message }),
    });
  }
  return createSqliteStore({ path: db, ...(bulk ? { writer: 'inline' as const } : sqliteOptionsFromEnv()) });
}
