// PGlite keeps no lock on its data directory, and two processes writing one directory silently
// lose writes. The lock lives in embedded-lock.mjs (plain JavaScript, because the embedded
// database's own process takes it too and runs without tsx); this is its typed entry point.
export { acquireDirectoryLock, DatabaseLockedError } from './embedded-lock.mjs';
