/** @module @loupe/consent */
export {};
