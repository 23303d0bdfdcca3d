/** @module @loupe/collector */
export {};
