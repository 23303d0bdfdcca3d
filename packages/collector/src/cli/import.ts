import { readFileSync } from 'node:fs';
import { type ImportFormat, parseColumns, parseOrderLines, toOrderEvents } from '@loupe/segmenter';
import type { StoredEvent } from '../storage/types.js';
import { defaultDbPath, flag, parse, str, UsageError } from './args.js';
import { openStore } from './open-store.js';

const USAGE =
  'loupe import --file F --format csv|tsv|whitespace [--no-header] --columns user=…,time=…,order=…,amount=…|quantity=…,price=…,product=… [--time-format YYYYMMDD] [--write-key wk_…] [--db …]';

/**
 * `loupe import`: purchase history from a shop or POS export as `Order Completed` events (line items
 * grouped by order, cancellations and returns as refunds), stored directly. Message ids derive from
 * the content, so importing the same file twice stores nothing new.
 */
export async function importCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      file: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      'no-header': { type: 'boolean', default: false },
      columns: { type: 'string' },
      'time-format': { type: 'string' },
      'write-key': { type: 'string', default: process.env.LOUPE_WRITE_KEY || 'import' },
      db: { type: 'string', default: defaultDbPath() },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
    },
    USAGE,
  );
  const file = str(args, 'file');
  const columnsSpec = str(args, 'columns');
  const format = str(args, 'format') as ImportFormat;
  if (!file || !columnsSpec) throw new UsageError(`--file and --columns are required\n\nusage: ${USAGE}`);
  if (!['csv', 'tsv', 'whitespace'].includes(format))
    throw new UsageError(`--format takes csv, tsv or whitespace, not "${format}"`);
  let columns: ReturnType<typeof parseColumns>;
  try {
    columns = parseColumns(columnsSpec);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const timeFormat = str(args, 'time-format');
  const { rows, problems } = parseOrderLines(readFileSync(file, 'utf8').split('\n'), {
    format,
    header: !flag(args, 'no-header'),
    columns,
    ...(timeFormat ? { timeFormat } : {}),
  });
  for (const p of problems.slice(0, 10)) process.stderr.write(`line ${p.line}: ${p.message}\n`);
  if (problems.length > 10) process.stderr.write(`… and ${problems.length - 10} more lines skipped\n`);
  const events = toOrderEvents(rows);
  const writeKey = str(args, 'write-key') as string;
  const receivedAt = new Date().toISOString();
  const store = await openStore({ db: str(args, 'db') as string, databaseUrl: str(args, 'database-url'), bulk: true });
  let inserted = 0;
  let duplicates = 0;
  try {
    for (let i = 0; i < events.length; i += 2000) {
      const page: StoredEvent[] = events.slice(i, i + 2000).map((payload) => ({
        writeKey,
        messageId: payload.messageId,
        type: 'track',
        anonymousId: null,
        userId: payload.userId ?? null,
        name: payload.event,
        timestamp: payload.timestamp as string,
        receivedAt,
        sessionId: null,
        ip: null,
        isBot: false,
        payload,
      }));
      for (const outcome of await store.insertEvents(page)) {
        if (outcome === 'inserted') inserted++;
        else duplicates++;
      }
    }
  } finally {
    await store.close();
  }
  process.stdout.write(
    `${rows.length} lines → ${events.length} orders and refunds: ${inserted} stored, ${duplicates} already there, ${problems.length} lines skipped\n`,
  );
  return 0;
}
