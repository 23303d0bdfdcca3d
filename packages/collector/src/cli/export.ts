import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { defaultDbPath, flag, parse, str, UsageError } from './args.js';
import { type CommandOutput, STD } from './consent.js';
import { openStore } from './open-store.js';
import { sinceFrom } from './segment.js';

const USAGE =
  'loupe export [--db ./data/loupe.db | --database-url postgres://…] [--since 90d | 2026-11-01] [--key wk_…] [--no-bots] [--to events.ndjson]';

/**
 * `loupe export`: every stored event as newline-delimited JSON, one Segment-spec event a line
 * (the payload as stored: enriched, `receivedAt` and the corrected `timestamp`, the IP truncated),
 * oldest first, for a warehouse, a notebook or `jq`. To standard output unless `--to` names a new
 * file; it streams page by page, so memory stays flat however large the store. Written to the audit
 * log, as every read of everyone's data is.
 */
export async function exportCommand(
  argv: string[],
  io: CommandOutput = STD,
  stdout: Writable = process.stdout,
): Promise<number> {
  const args = parse(
    argv,
    {
      db: { type: 'string', default: defaultDbPath() },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
      since: { type: 'string' },
      key: { type: 'string' },
      'no-bots': { type: 'boolean', default: false },
      to: { type: 'string' },
    },
    USAGE,
  );
  if (args.positionals.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const since = sinceFrom(str(args, 'since'), new Date());
  const writeKey = str(args, 'key');
  const to = str(args, 'to');
  if (to && existsSync(to)) throw new UsageError(`${to} exists: an export never overwrites a file`);
  const store = await openStore({ db: str(args, 'db') as string, databaseUrl: str(args, 'database-url') });
  const out = to ? createWriteStream(to, { flags: 'wx' }) : stdout;
  // Only a file this export created is removed when it fails.
  let created = false;
  out.once('open', () => {
    created = true;
  });
  // A reader that stops early (`| head`) closes the pipe: the export ends there, as Unix tools do.
  let closed = false;
  let streamError: Error | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else streamError = error;
  };
  out.on('error', onError);
  let events = 0;
  let failure: unknown;
  try {
    for await (const page of store.scanEvents({
      ...(since ? { since } : {}),
      ...(writeKey ? { writeKey } : {}),
      excludeBots: flag(args, 'no-bots'),
    })) {
      let text = '';
      for (const event of page) text += `${JSON.stringify(event.payload)}\n`;
      if (closed || streamError) break;
      events += page.length;
      if (!out.write(text)) await once(out, 'drain');
    }
    if (streamError) throw streamError;
    if (to) {
      out.end();
      await once(out, 'finish');
    }
  } catch (error) {
    if (!closed) failure = error;
  }
  try {
    // Whatever was read, however it ended.
    await store.appendAudit({
      at: new Date().toISOString(),
      actor: 'cli',
      action: 'events.export',
      subject: writeKey ?? '*',
      detail: { events, ...(since ? { since } : {}), ...(to ? { to } : {}) },
    });
  } finally {
    out.off('error', onError);
    if (to && !out.writableFinished) out.destroy();
    if (to && failure && created) rmSync(to, { force: true });
    await store.close();
  }
  if (failure) {
    io.err(`loupe export: ${(failure as Error).message}\n`);
    return 1;
  }
  io.err(
    `export: ${events.toLocaleString('en-US')} events${to ? ` to ${to}` : ''}${closed ? ' (the reader closed the pipe)' : ''}\n`,
  );
  return 0;
}
