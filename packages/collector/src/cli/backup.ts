import { backupSqlite } from '../storage/sqlite/backup.js';
import { defaultDbPath, parse, str, UsageError } from './args.js';
import { type CommandOutput, STD } from './consent.js';

const USAGE = 'loupe backup --to FILE [--db ./data/loupe.db]';

/**
 * `loupe backup --to FILE`: a consistent copy of the SQLite collector in one file, while it runs
 * (see backupSqlite). Restoring is pointing `loupe serve --db` at the copy.
 */
export async function backupCommand(argv: string[], io: CommandOutput = STD): Promise<number> {
  const args = parse(
    argv,
    {
      db: { type: 'string' },
      to: { type: 'string' },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
    },
    USAGE,
  );
  const db = str(args, 'db');
  if (str(args, 'database-url') && !db)
    throw new UsageError('loupe backup copies a SQLite collector; back PostgreSQL up with pg_dump or your provider');
  const to = str(args, 'to');
  if (!to || args.positionals.length > 0) throw new UsageError(`usage: ${USAGE}`);
  try {
    const { events, fromLog, bytes } = backupSqlite(db ?? defaultDbPath(), to);
    const fromLogText = fromLog > 0 ? ` (${fmt(fromLog)} of them acknowledged but not yet indexed)` : '';
    io.out(`backup: ${fmt(events)} events${fromLogText} in ${to} (${(bytes / 1e6).toFixed(1)} MB)\n`);
    return 0;
  } catch (error) {
    io.err(`loupe backup: ${(error as Error).message}\n`);
    return 1;
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');
