import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** The built `loupe` CLI: tests that run the collector as its own process need `npm run build` first (npm test does it). */
export const CLI = fileURLToPath(new URL('../../packages/collector/dist/cli/main.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export function requireBuiltCli(what: string): void {
  if (!existsSync(CLI))
    throw new Error(
      `${what}: ${CLI} is missing. Build first: npm run build (npm test does it before running the tests).`,
    );
}

/** `loupe keys create --origin * --db <db>`: the new write key. */
export function createKeyWithCli(db: string): string {
  const created = spawnSync(process.execPath, [CLI, 'keys', 'create', '--origin', '*', '--db', db], {
    encoding: 'utf8',
    timeout: START_TIMEOUT_MS,
  });
  if (created.status !== 0) throw new Error(`loupe keys create failed: ${created.stderr}`);
  return created.stdout.trim();
}

export interface CollectorChild {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** SIGKILLs every child still running (an afterAll's cleanup when a test failed half way). */
export function killCollectorChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Starts `loupe serve --db <db>` on a port the OS picks and resolves with its URL from the startup log line. */
export function startCollectorChild(db: string, env: Record<string, string> = {}): Promise<CollectorChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOUPE_LOG_LEVEL: 'info', LOUPE_ADMIN_TOKEN: '', ...env },
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('loupe serve did not start in time'));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'collector listening' && entry.url) {
          clearTimeout(timer);
          resolve({ child, url: entry.url, exited });
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`loupe serve exited before listening (code ${code}, signal ${signal})`));
    });
  });
}

/**
 * A temp folder with a SQLite file and a write key made by the CLI, for a test file's collector
 * children: set up before the file's tests, and removed (any child still running killed) after them.
 */
export function collectorFiles(what: string): { readonly dir: string; readonly db: string; readonly writeKey: string } {
  const files = { dir: '', db: '', writeKey: '' };
  beforeAll(() => {
    requireBuiltCli(what);
    files.dir = mkdtempSync(join(tmpdir(), 'loupe-child-'));
    files.db = join(files.dir, 'loupe.db');
    files.writeKey = createKeyWithCli(files.db);
  });
  afterAll(() => {
    killCollectorChildren();
    if (files.dir) rmSync(files.dir, { recursive: true, force: true });
  });
  return files;
}
