/** @module @loupe/tracker */
export {};
