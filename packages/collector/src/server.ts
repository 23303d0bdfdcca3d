import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppDeps, type CollectorApp, createApp } from './app.js';
import { configFromEnv, sqliteOptionsFromEnv } from './config.js';
import { createSqliteStore } from './storage/sqlite/index.js';
import type { Store } from './storage/types.js';

export interface ServerOptions extends Omit<AppDeps, 'store'> {
  /** A store to serve; otherwise a SQLite store at `db`. */
  store?: Store;
  /** SQLite file (default ./data/loupe.db). */
  db?: string;
  port?: number;
  hostname?: string;
  adminToken?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  collector: CollectorApp;
  /** Stops accepting, commits what is pending, closes the store. */
  close(): Promise<void>;
}

/** Starts the collector over HTTP. `port: 0` picks a free port; tests listen on 127.0.0.1 only. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const {
    db = './data/loupe.db',
    port = 3000,
    hostname = '127.0.0.1',
    adminToken,
    store: given,
    config,
    ...deps
  } = options;
  const store = given ?? createSqliteStore({ path: db, ...sqliteOptionsFromEnv() });
  const collector = createApp({
    ...deps,
    store,
    config: { ...configFromEnv(), ...config, ...(adminToken ? { adminToken } : {}) },
  });
  const server = serve({ fetch: collector.app.fetch, port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    collector,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
          // Requests in flight finish (their rows are in the committer); stragglers are cut after 5 s.
          setTimeout(() => ('closeAllConnections' in server ? server.closeAllConnections() : undefined), 5000).unref();
        });
        await collector.drain();
        await store.close();
      })();
      return closing;
    },
  };
}
