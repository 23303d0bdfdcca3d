import { describeWithPostgres } from '../../../../../test/helpers/postgres.js';
import { describePrivacyStore } from '../privacy-contract.js';
import { isPrivacyStore } from '../privacy-types.js';
import { createPostgresStore } from './index.js';

describeWithPostgres('PostgreSQL privacy store', (cluster) => {
  let database: string | undefined;
  describePrivacyStore('postgres', async () => {
    database ??= await cluster().createDatabase();
    const store = await createPostgresStore({
      connectionString: await cluster().createSchema(database),
      pool: { max: 4 },
    });
    if (!isPrivacyStore(store)) throw new Error('the PostgreSQL store does not implement PrivacyStore');
    return { store, close: () => store.close() };
  });
});
