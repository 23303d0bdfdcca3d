import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeWithPostgres } from '../../../../../test/helpers/postgres.js';
import { storedEvent } from '../contract.js';
import { createPostgresStore } from './index.js';

describeWithPostgres('PostgreSQL store specifics', (cluster) => {
  const fresh = async () => cluster().createSchema(await cluster().createDatabase());

  it('migrates once when several collectors open the same database together', async () => {
    const url = await fresh();
    const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresStore({ connectionString: url })));
    const [first] = stores;
    const { rows } = await (first as (typeof stores)[number]).pool.query(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('keeps its data when reopened', async () => {
    const url = await fresh();
    const before = await createPostgresStore({ connectionString: url });
    await before.insertEvents([storedEvent('kept')]);
    await before.close();
    const after = await createPostgresStore({ connectionString: url });
    expect(await after.countEvents()).toBe(1);
    expect(await after.insertEvents([storedEvent('kept')])).toEqual(['duplicate']);
    await after.close();
  });

  it('commits none of a call when the server refuses one row', async () => {
    const store = await createPostgresStore({ connectionString: await fresh() });
    // Incompressible and past btree's 2,704-byte row limit: the unique index refuses it mid-statement.
    const huge = randomBytes(4000).toString('base64');
    await expect(
      store.insertEvents([storedEvent('good'), storedEvent(huge), storedEvent('also-good')]),
    ).rejects.toThrow(/index row/);
    expect(await store.countEvents()).toBe(0);
    expect(await store.linkedIds('anon-good')).toEqual(['anon-good']);
    await store.close();
  });

  it('refuses a row holding a NUL character by naming the field, storing nothing', async () => {
    const store = await createPostgresStore({ connectionString: await fresh() });
    await expect(store.insertEvents([storedEvent('good'), storedEvent('bad\u0000id')])).rejects.toThrow(
      /NUL.*messageId/,
    );
    expect(await store.countEvents()).toBe(0);
    await store.close();
  });

  it('fails to open with the address and the cause, without the password', async () => {
    const { port } = cluster();
    const error = await createPostgresStore({
      connectionString: `postgres://postgres:s3cret@127.0.0.1:${port}/no_such_database`,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/no_such_database/);
    expect((error as Error).message).not.toMatch(/s3cret/);
  });

  it('survives a server restart: idle connection errors are reported, later queries reconnect', async () => {
    const errors: Error[] = [];
    const store = await createPostgresStore({ connectionString: await fresh(), onIdleError: (e) => errors.push(e) });
    await store.insertEvents([storedEvent('before')]);
    cluster().restart();
    // The pool learns of the cut asynchronously, when the server's goodbye reaches the idle socket.
    for (let waited = 0; errors.length === 0 && waited < 5000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(errors.length).toBeGreaterThan(0);
    expect(await store.insertEvents([storedEvent('after')])).toEqual(['inserted']);
    expect(await store.countEvents()).toBe(2);
    await store.close();
  });

  it('keeps the payload text exactly as written (json, not jsonb)', async () => {
    const store = await createPostgresStore({ connectionString: await fresh() });
    const row = storedEvent('exact');
    await store.insertEvents([row]);
    const { rows } = await store.pool.query<{ payload: string }>('SELECT payload::text AS payload FROM events');
    expect(rows[0]?.payload).toBe(JSON.stringify(row.payload));
    await store.close();
  });

  it('uses the indexes the readers need', async () => {
    const store = await createPostgresStore({ connectionString: await fresh() });
    const { rows } = await store.pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'events'",
    );
    const defs = rows.map((r) => r.indexdef.replace(/^.* USING btree /, '')).sort();
    expect(defs).toEqual(
      [
        '(anonymous_id) WHERE (anonymous_id IS NOT NULL)',
        '(id)',
        '(ts, id)',
        '(user_id) WHERE (user_id IS NOT NULL)',
        '(write_key, message_id)',
        '(write_key, received_at)',
      ].sort(),
    );
    await store.close();
  });
});
