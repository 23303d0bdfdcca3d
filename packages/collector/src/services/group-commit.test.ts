import { describe, expect, it } from 'vitest';
import { BacklogFullError, StorageError } from '../errors.js';
import type { InsertOutcome, StoredEvent } from '../storage/types.js';
import { createGroupCommitter } from './group-commit.js';

function row(messageId: string): StoredEvent {
  return {
    writeKey: 'wk_test',
    messageId,
    type: 'track',
    anonymousId: 'a1',
    userId: null,
    name: 'Clicked',
    timestamp: '2024-06-01T00:00:00.000Z',
    receivedAt: '2024-06-01T00:00:00.000Z',
    sessionId: null,
    ip: null,
    isBot: false,
    payload: { type: 'track', event: 'Clicked', messageId, anonymousId: 'a1' },
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A store that records each transaction and answers `duplicate` for ids starting with "dup". */
function recordingStore() {
  const transactions: string[][] = [];
  let open = 0;
  let maxOpen = 0;
  let gate: Promise<void> | null = null;
  return {
    transactions,
    get maxConcurrent() {
      return maxOpen;
    },
    hold() {
      const d = deferred<void>();
      gate = d.promise;
      return () => {
        gate = null;
        d.resolve();
      };
    },
    async insertEvents(rows: readonly StoredEvent[]): Promise<InsertOutcome[]> {
      open++;
      maxOpen = Math.max(maxOpen, open);
      transactions.push(rows.map((r) => r.messageId));
      try {
        if (gate) await gate;
        return rows.map((r) => (r.messageId.startsWith('dup') ? 'duplicate' : 'inserted'));
      } finally {
        open--;
      }
    },
  };
}

describe('createGroupCommitter', () => {
  it('commits rows submitted together in one transaction', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 5 });
    await Promise.all([
      committer.submit([row('a'), row('b')]),
      committer.submit([row('c')]),
      committer.submit([row('d')]),
    ]);
    expect(store.transactions).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('answers each caller with the outcomes of its own rows, in order', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 5 });
    const [first, second, third] = await Promise.all([
      committer.submit([row('a'), row('dup-b'), row('c')]),
      committer.submit([row('dup-d')]),
      committer.submit([row('e'), row('dup-f')]),
    ]);
    expect(first).toEqual(['inserted', 'duplicate', 'inserted']);
    expect(second).toEqual(['duplicate']);
    expect(third).toEqual(['inserted', 'duplicate']);
  });

  it('commits a full group at once without waiting for the delay', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 60_000, maxRows: 3 });
    const outcomes = await committer.submit([row('a'), row('b'), row('c')]);
    expect(outcomes).toHaveLength(3);
    expect(store.transactions).toEqual([['a', 'b', 'c']]);
  });

  it('runs one transaction at a time while the next group forms', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 1, maxRows: 2 });
    const release = store.hold();
    const first = committer.submit([row('a'), row('b')]);
    const second = committer.submit([row('c'), row('d')]);
    const third = committer.submit([row('e')]);
    release();
    await Promise.all([first, second, third]);
    expect(store.maxConcurrent).toBe(1);
    expect(store.transactions.flat()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('hands a store that takes several groups at once up to maxInFlight of them, and answers each caller its own', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 1, maxRows: 2, maxInFlight: 2 });
    const release = store.hold();
    const first = committer.submit([row('a'), row('b')]);
    const second = committer.submit([row('c'), row('dup-d')]);
    const third = committer.submit([row('e')]);
    await new Promise((r) => setTimeout(r, 10));
    expect(store.transactions).toEqual([
      ['a', 'b'],
      ['c', 'dup-d'],
    ]); // the third waits for a free slot
    expect(committer.backlog).toBe(5);
    release();
    expect(await Promise.all([first, second, third])).toEqual([
      ['inserted', 'inserted'],
      ['inserted', 'duplicate'],
      ['inserted'],
    ]);
    expect(store.maxConcurrent).toBe(2);
    expect(store.transactions).toEqual([['a', 'b'], ['c', 'dup-d'], ['e']]);
    await committer.flush();
    expect(committer.backlog).toBe(0);
  });

  it('gathers everything that arrives during a slow commit into the next transaction, not one per delay', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 1 });
    const release = store.hold();
    const first = committer.submit([row('a')]);
    for (let i = 0; store.transactions.length === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 1));
    const later: Promise<unknown>[] = [];
    for (const id of ['b', 'c', 'd', 'e']) {
      later.push(committer.submit([row(id)]));
      await new Promise((r) => setTimeout(r, 3)); // longer than the delay: each would have been its own group
    }
    release();
    await Promise.all([first, ...later]);
    expect(store.transactions).toEqual([['a'], ['b', 'c', 'd', 'e']]);
  });

  it('splits what queued during a slow commit into transactions of at most maxRows, keeping each caller whole', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 1, maxRows: 3 });
    const release = store.hold();
    const first = committer.submit([row('a')]);
    for (let i = 0; store.transactions.length === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 1));
    const later = [
      committer.submit([row('b'), row('c')]),
      committer.submit([row('d')]),
      committer.submit([row('e'), row('f')]),
      committer.submit([row('g'), row('h'), row('i'), row('j')]),
    ];
    release();
    await Promise.all([first, ...later]);
    expect(store.transactions).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f'], ['g', 'h', 'i', 'j']]);
  });

  it('refuses with BacklogFullError past the backlog bound and accepts again once it drains', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 1, maxBacklogRows: 4 });
    const release = store.hold();
    const pending = committer.submit([row('a'), row('b'), row('c')]);
    expect(committer.backlog).toBe(3);
    await expect(committer.submit([row('d'), row('e')])).rejects.toBeInstanceOf(BacklogFullError);
    expect(committer.backlog).toBe(3);
    release();
    await pending;
    expect(committer.backlog).toBe(0);
    await expect(committer.submit([row('d'), row('e')])).resolves.toEqual(['inserted', 'inserted']);
  });

  it('rejects every waiter of a failed transaction with StorageError and acknowledges none', async () => {
    const cause = new Error('disk I/O error');
    const store = {
      calls: 0,
      async insertEvents(): Promise<InsertOutcome[]> {
        this.calls++;
        throw cause;
      },
    };
    const committer = createGroupCommitter({ store, maxDelayMs: 5 });
    const results = await Promise.allSettled([committer.submit([row('a')]), committer.submit([row('b'), row('c')])]);
    expect(store.calls).toBe(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as StorageError;
      expect(reason).toBeInstanceOf(StorageError);
      expect(reason.cause).toBe(cause);
    }
    expect(committer.backlog).toBe(0);
  });

  it('keeps committing after a failed transaction', async () => {
    let fail = true;
    const store = {
      async insertEvents(rows: readonly StoredEvent[]): Promise<InsertOutcome[]> {
        if (fail) throw new Error('busy');
        return rows.map(() => 'inserted');
      },
    };
    const committer = createGroupCommitter({ store, maxDelayMs: 1 });
    await expect(committer.submit([row('a')])).rejects.toBeInstanceOf(StorageError);
    fail = false;
    await expect(committer.submit([row('a')])).resolves.toEqual(['inserted']);
  });

  it('flush commits what is pending without waiting for the delay, and waits for a commit in flight', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store, maxDelayMs: 60_000 });
    let acked = false;
    const pending = committer.submit([row('a')]).then(() => {
      acked = true;
    });
    await committer.flush();
    await pending;
    expect(acked).toBe(true);
    expect(store.transactions).toEqual([['a']]);
    expect(committer.backlog).toBe(0);
  });

  it('flush with nothing pending resolves at once', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store });
    await committer.flush();
    expect(store.transactions).toEqual([]);
  });

  it('reports each transaction to onCommit with its row count', async () => {
    const store = recordingStore();
    const commits: number[] = [];
    const committer = createGroupCommitter({ store, maxDelayMs: 2, onCommit: (rows) => commits.push(rows) });
    await Promise.all([committer.submit([row('a'), row('b')]), committer.submit([row('c')])]);
    expect(commits).toEqual([3]);
  });

  it('answers an empty submit without a transaction', async () => {
    const store = recordingStore();
    const committer = createGroupCommitter({ store });
    await expect(committer.submit([])).resolves.toEqual([]);
    await committer.flush();
    expect(store.transactions).toEqual([]);
  });
});
