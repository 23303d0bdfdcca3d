import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import {
  type CollectorConfig,
  type NewWriteKey,
  type RunningServer,
  startServer,
  type WriteKey,
} from '@loupe/collector';

export interface TestCollector {
  url: string;
  server: RunningServer;
  /**
   * The SQLite file's connection, for reading what was stored: every acknowledged event is moved
   * from the ingest log into the events table before it is handed out.
   */
  readonly db: Database.Database;
  /** A key allowing https://shop.example. */
  key: WriteKey;
  /** Log entries at level error: the collector logs every 5xx it answers. */
  errors: Record<string, unknown>[];
  createKey(input: NewWriteKey): Promise<WriteKey>;
  post(
    path: string,
    body: unknown,
    init?: { headers?: Record<string, string>; auth?: string | null },
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface TestCollectorOptions {
  config?: Partial<CollectorConfig>;
  adminToken?: string;
  clock?: () => Date;
}

export const SHOP = 'https://shop.example';

/** A collector over real HTTP on 127.0.0.1 (port chosen by the OS) with a SQLite file in a fresh temp dir. */
export async function startTestCollector({
  config,
  adminToken,
  clock,
}: TestCollectorOptions = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-collector-'));
  const errors: Record<string, unknown>[] = [];
  const logger = {
    log(level: string, msg: string, fields?: Record<string, unknown>) {
      if (level === 'error') errors.push({ msg, ...fields });
    },
  };
  const server = await startServer({
    db: join(dir, 'loupe.db'),
    port: 0,
    hostname: '127.0.0.1',
    logger,
    ...(adminToken ? { adminToken } : {}),
    ...(config ? { config } : {}),
    ...(clock ? { clock } : {}),
  });
  const key = await server.store.createKey({ name: 'shop', origins: [SHOP] });
  const store = server.store as unknown as { db: Database.Database; catchUp(): void };
  return {
    url: server.url,
    server,
    get db() {
      store.catchUp();
      return store.db;
    },
    key,
    errors,
    createKey: (input) => server.store.createKey(input),
    post(path, body, { headers = {}, auth = key.key } = {}) {
      return fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(auth ? { Authorization: basicAuth(auth) } : {}),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST with a raw body through node:http, tolerating the server answering before the body is sent. */
export function rawPost(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

let counter = 0;
/** A unique messageId for this test process. */
export function newMessageId(prefix = 'm'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/** A valid track event with a fresh messageId; `overrides` win. */
export function trackEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Product Viewed',
    anonymousId: 'anon-1',
    messageId: newMessageId(),
    timestamp: new Date().toISOString(),
    properties: { product_id: 'sku-1', price: 19.9 },
    ...overrides,
  };
}

export interface StoredRow {
  write_key: string;
  message_id: string;
  type: string;
  anonymous_id: string | null;
  user_id: string | null;
  name: string | null;
  ts: string;
  received_at: string;
  ip: string | null;
  is_bot: number;
  payload: string;
}

export function rowsFor(db: Database.Database, messageIds: readonly string[]): StoredRow[] {
  if (messageIds.length === 0) return [];
  return db
    .prepare(`SELECT * FROM events WHERE message_id IN (${messageIds.map(() => '?').join(',')}) ORDER BY id`)
    .all(...messageIds) as StoredRow[];
}

export function countEvents(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
}

export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; path: string; message: string }[];
}

/** Reads `loupe_events_total{outcome=…}` from /metrics. */
export async function eventsByOutcome(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^loupe_events_total\{outcome="([a-z_]+)"\} (\d+)$/gm))
    out[m[1] as string] = Number(m[2]);
  return out;
}
