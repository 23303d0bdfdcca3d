/** Sent as `context.library`; kept in step with package.json by the release script. */
export const LIBRARY = { name: 'loupe.js', version: '0.1.0' } as const;
