import { startServer, type ServerOptions, type RunningServer } from '../server.js';
import { createLogger } from '../services/log.js';
import { parseDuration } from '../services/resegment-scheduler.js';
import { defaultDbPath, defaultPort, parse, portFrom, str, UsageError } from './args.js';
import { openStore } from './open-store.js';
import { startResegmenting } from './resegment.js';

const USAGE =
  'loupe serve [--db ./data/loupe.db | --database-url postgres://…] [--port 3000] [--host 0.0.0.0] [--resegment-every 7d|12h|off]';
const HOUR = 3_600_000;

export async function serveCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      db: { type: 'string', default: defaultDbPath() },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
      port: { type: 'string', default: defaultPort() },
      host: { type: 'string', default: process.env.LOUPE_HOST || '0.0.0.0' },
      'resegment-every': { type: 'string', default: process.env.LOUPE_RESEGMENT_EVERY || '7d' },
    },
    USAGE,
  );
  const every = str(args, 'resegment-every') as string;
  const everyMs = parseDuration(every);
  if (everyMs === null) throw new UsageError(`--resegment-every takes 7d, 12h, 30m, 2w or off, not "${every}"`);
  const store = await openStore({ db: str(args, 'db') as string, databaseUrl: str(args, 'database-url') });
  const server = await runUntilSignal({
    store,
    port: portFrom(str(args, 'port')),
    hostname: str(args, 'host') as string,
  });
  const logger = createLogger();
  logger.log('info', 'collector listening', { url: server.url, store: store.kind, resegmentEveryMs: everyMs });
  const resegmenting = startResegmenting(server, everyMs, { logger });
  if (resegmenting) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resegmenting.stop());
  }
  return new Promise<number>(() => {}); // runs until a signal
}

/**
 * Starts a server with housekeeping (quarantine kept 7 days; retention, salt rotation and
 * suppression refresh at start and hourly) and a clean exit on SIGTERM/SIGINT:
 * stop accepting, commit what is pending, close the store, exit 0.
 */
export async function runUntilSignal(options: ServerOptions): Promise<RunningServer> {
  const logger = createLogger();
  const server = await startServer({ ...options, logger });
  const store = server.store;
  const housekeeping = setInterval(() => {
    const before = new Date(Date.now() - server.collector.config.quarantineDays * 24 * HOUR).toISOString();
    store
      .purgeQuarantineBefore(before)
      .catch((error: Error) => logger.log('warn', 'quarantine purge failed', { message: error.message }));
    // Retention per key, cookieless salts past 48 h, the suppression list other processes added to.
    void server.collector.privacy.housekeeping();
  }, HOUR);
  housekeeping.unref();
  void server.collector.privacy.housekeeping();
  const stop = (signal: string) => {
    logger.log('info', 'shutting down', { signal });
    clearInterval(housekeeping);
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.log('error', 'shutdown failed', { message: error.message });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}
