export type { PostgresPoolSettings, PostgresStoreOptions } from './store.js';
export { createPostgresStore } from './store.js';
