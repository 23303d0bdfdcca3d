import { describeWithPostgres } from '../../../../../test/helpers/postgres.js';
import { describeStore } from '../contract.js';
import { createPostgresStore } from './index.js';

describeWithPostgres('PostgreSQL store', (cluster) => {
  let database: string | undefined;
  describeStore('contract', async () => {
    database ??= await cluster().createDatabase();
    return createPostgresStore({ connectionString: await cluster().createSchema(database), pool: { max: 4 } });
  });
});
