import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';

/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, start on a free
 * loopback port with its socket in that directory, stop with `-m immediate` and delete it.
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user.
 */
export interface PostgresCluster {
  port: number;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * Creates a fresh schema in a database and returns a URL whose connections use it: an empty
   * store per test without the cost of a database per test.
   */
  createSchema(databaseUrl: string): Promise<string>;
  url(database: string): string;
  /** Restarts the server (fast shutdown: open connections are cut), as an operator or a crash would. */
  restart(): void;
  stop(): void;
}

/**
 * The directory holding `initdb` and `pg_ctl`, or a reason why there is none. `LOUPE_PG_BIN`
 * names the directory outright (and only it is tried); otherwise PATH, then Debian's
 * /usr/lib/postgresql/<newest>/bin.
 */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const candidates: string[] = [];
  if (process.env.LOUPE_PG_BIN) candidates.push(process.env.LOUPE_PG_BIN);
  else {
    for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
    const debian = '/usr/lib/postgresql';
    if (existsSync(debian)) {
      const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
      for (const v of versions) candidates.push(join(debian, v, 'bin'));
    }
  }
  for (const dir of candidates) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return { bin: dir };
  }
  const where = process.env.LOUPE_PG_BIN
    ? `$LOUPE_PG_BIN (${process.env.LOUPE_PG_BIN})`
    : 'PATH or /usr/lib/postgresql/*/bin';
  return { missing: `PostgreSQL server binaries (initdb, pg_ctl) not found in ${where}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<() => void>();
let exitHookInstalled = false;

export async function startPostgres(bin: string): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = join(bin, tool);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  let port = 0;
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
    // A port taken between the probe and the start fails the start: try a few.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        run('pg_ctl', [
          '-D',
          data,
          '-l',
          join(dir, 'log'),
          '-w',
          '-t',
          '60',
          '-o',
          `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
          'start',
        ]);
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`could not start a PostgreSQL test cluster: ${(error as Error).message}\n${stderr}`);
  }

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    live.delete(stop);
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  live.add(stop);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A worker that dies without teardown must not leave a postmaster behind.
    process.once('exit', () => {
      for (const s of [...live]) s();
    });
  }

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let counter = 0;
  const admin = async (connectionString: string, sql: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    async createDatabase(name = `loupe_test_${++counter}`) {
      await admin(url('postgres'), `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return url(name);
    },
    async createSchema(databaseUrl) {
      const schema = `s${++counter}`;
      await admin(databaseUrl, `CREATE SCHEMA ${schema}`);
      return `${databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    },
    restart() {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-m', 'fast', '-w', 'restart']);
    },
    stop,
  };
}

/**
 * `describe` with a running cluster. Without PostgreSQL binaries the suite fails under CI (it
 * must not pass by testing nothing) and is skipped loudly elsewhere.
 */
export function describeWithPostgres(name: string, body: (cluster: () => PostgresCluster) => void): void {
  const found = findPostgresBin();
  if ('missing' in found) {
    if (process.env.CI) {
      describe(name, () => {
        beforeAll(() => {
          throw new Error(
            `${found.missing}. CI must test the PostgreSQL adapter: install postgresql (apt-get install postgresql).`,
          );
        });
        body(() => {
          throw new Error(found.missing);
        });
      });
    } else {
      console.warn(`\n⚠ SKIPPING "${name}": ${found.missing}. Install postgresql to run it.\n`);
      describe.skip(`${name} [SKIPPED: ${found.missing}]`, () => body(() => ({}) as PostgresCluster));
    }
    return;
  }
  describe(name, () => {
    let cluster: PostgresCluster | undefined;
    beforeAll(async () => {
      cluster = await startPostgres(found.bin);
    });
    afterAll(() => cluster?.stop());
    body(() => {
      if (!cluster) throw new Error('the PostgreSQL test cluster is not running');
      return cluster;
    });
  });
}
