/** @module @loupe/tracker/testing: an in-memory platform, a fake collector and a manual clock. */
export { createTestPlatform } from './create-test-platform.js';
export type { Responder, TestPlatform, TestPlatformOptions } from './create-test-platform.js';
export { createFakeCollector } from './fake-collector.js';
export type { FakeCollector } from './fake-collector.js';
export { createMemoryKv, createMemoryQueue, createMemoryStorage } from './memory-storage.js';
