import { writeFileSync } from 'node:fs';
import { type SimulatedPerson, simulatePerson } from '@loupe/segmenter';
import type { LoupeEvent } from '@loupe/schema';
import { parse, str, UsageError } from './args.js';

const USAGE =
  'loupe simulate --users N --days D --seed S --to http://localhost:3000 --write-key wk_… [--truth truth.json] [--bot-share 0.02]';
const DAY_MS = 86_400_000;
/** Events per request: well under the 500 KB limit with room for long URLs. */
const BATCH = 200;
const CONCURRENCY = 4;

/**
 * `loupe simulate`: shoppers with planted personas (skewed shares, heavy-tailed rates, bots) sent
 * through the real ingest API, ending now; who is who goes to the truth file.
 */
export async function simulateCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      users: { type: 'string', default: '1000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '1' },
      to: { type: 'string' },
      'write-key': { type: 'string', default: process.env.LOUPE_WRITE_KEY },
      truth: { type: 'string', default: 'truth.json' },
      'bot-share': { type: 'string', default: '0.02' },
    },
    USAGE,
  );
  const users = Number(str(args, 'users'));
  const days = Number(str(args, 'days'));
  const seed = Number(str(args, 'seed'));
  const botShare = Number(str(args, 'bot-share'));
  const to = str(args, 'to');
  const writeKey = str(args, 'write-key');
  if (!to || !writeKey) throw new UsageError(`--to and --write-key are required\n\nusage: ${USAGE}`);
  if (![users, days, seed].every(Number.isInteger) || users < 1 || days < 1)
    throw new UsageError('--users, --days and --seed take whole numbers');
  const start = new Date(Date.now() - days * DAY_MS).toISOString();
  const url = new URL('/v1/batch', to).toString();
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const people: SimulatedPerson[] = [];
  let pending: LoupeEvent[] = [];
  let sent = 0;
  const inFlight = new Set<Promise<void>>();

  const send = async (batch: LoupeEvent[]) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
      });
      if (res.ok) {
        sent += batch.length;
        return;
      }
      // Back off on 429/503 as the tracker does; anything else is a real error.
      if ((res.status === 429 || res.status === 503) && attempt < 10) {
        await new Promise((r) => setTimeout(r, 250 * 2 ** Math.min(attempt, 4)));
        continue;
      }
      throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    }
  };
  const flush = async (all: boolean) => {
    while (pending.length >= BATCH || (all && pending.length > 0)) {
      const batch = pending.slice(0, BATCH);
      pending = pending.slice(BATCH);
      const p = send(batch).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    }
  };

  for (let i = 0; i < users; i++) {
    const { person, events } = simulatePerson(i, { users, days, seed, start, botShare });
    people.push(person);
    pending.push(...events);
    await flush(false);
    if (process.stderr.isTTY && i % 100 === 0)
      process.stderr.write(`\r\x1b[K${i}/${users} people, ${sent} events sent`);
  }
  await flush(true);
  await Promise.all(inFlight);
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const truth = str(args, 'truth') as string;
  writeFileSync(truth, `${JSON.stringify({ seed, users, days, start, people }, null, 1)}\n`);
  process.stdout.write(`${people.length} people, ${sent} events sent to ${url}; ground truth in ${truth}\n`);
  return 0;
}
