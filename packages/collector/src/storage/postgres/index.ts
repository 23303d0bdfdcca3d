export { createPostgresStore } from './store.js';
export type { PostgresPoolSettings, PostgresStoreOptions } from './store.js';
