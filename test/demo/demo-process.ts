import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built CLI, as `npm start` runs it after `npm run build`. */
export const CLI = fileURLToPath(new URL('../../packages/collector/dist/cli/main.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing. Build first: npm run build (npm test does it before running the tests).`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface DemoProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Everything printed so far. */
  output(): string;
  /** Resolves once `text` has been printed (stdout or stderr). */
  waitFor(text: string | RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns `loupe demo` in `cwd` (so its ./data lands there) on `port`, as `npm start` would. */
export function spawnDemo({
  cwd,
  port,
  env = {},
  args = [],
}: {
  cwd: string;
  port: number;
  env?: Record<string, string>;
  /** Extra `loupe demo` flags (`--origin …`). */
  args?: string[];
}): DemoProcess {
  const child = spawn(process.execPath, [CLI, 'demo', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), LOUPE_HOST: '127.0.0.1', LOUPE_DB: '', LOUPE_ADMIN_TOKEN: '', ...env },
  });
  live.add(child);
  let text = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const check of [...waiters]) check();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      for (const check of [...waiters]) check();
      resolve(code);
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => text,
    waitFor(wanted, timeoutMs) {
      const found = () => (typeof wanted === 'string' ? text.includes(wanted) : wanted.test(text));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (found()) {
            done();
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(
              new Error(
                `loupe demo exited (${child.exitCode ?? child.signalCode}) before printing ${wanted}:\n${text}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`loupe demo did not print ${wanted} within ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
