import { describeWithPostgres } from '../../../../../test/helpers/postgres.js';
import { describeSourceScan } from '../source-scan-contract.js';
import { createPostgresStore } from './index.js';

describeWithPostgres('PostgreSQL projected scan', (cluster) => {
  let database: string | undefined;
  describeSourceScan('postgres', async () => {
    database ??= await cluster().createDatabase();
    const store = await createPostgresStore({
      connectionString: await cluster().createSchema(database),
      pool: { max: 4 },
    });
    return { store, close: () => store.close() };
  });
});
