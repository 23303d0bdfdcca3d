/** @module @loupe/segmenter */
export {};
