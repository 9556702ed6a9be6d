/** Square versions its API by header; pin the version this integration was written against. */
export const SQUARE_VERSION = '2025-10-16';
