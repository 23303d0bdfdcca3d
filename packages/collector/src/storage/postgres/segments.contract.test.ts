import { describeWithPostgres } from '../../../../../test/helpers/postgres.js';
import { describeSegmentStore } from '../segment-contract.js';
import { segmentStoreOf } from '../segment-store-of.js';
import { createPostgresStore } from './index.js';

describeWithPostgres('PostgreSQL segment store', (cluster) => {
  let database: string | undefined;
  describeSegmentStore('postgres', async () => {
    database ??= await cluster().createDatabase();
    const store = await createPostgresStore({
      connectionString: await cluster().createSchema(database),
      pool: { max: 4 },
    });
    const segments = segmentStoreOf(store);
    if (!segments) throw new Error('the PostgreSQL store keeps no segments');
    return { store: segments, close: () => store.close() };
  });
});
