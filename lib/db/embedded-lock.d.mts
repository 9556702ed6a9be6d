// Types for embedded-lock.mjs (plain JavaScript so the embedded server's process can run it as is).
export declare class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number);
}
/** Takes `<dataDir>.lock` for this process; returns the release function. */
export declare function acquireDirectoryLock(dataDir: string): () => void;
/** The embedded server's variant: records its app's pid and waits for a server still closing. */
export declare function acquireDirectoryLockFor(dataDir: string, ownerPid: number, graceMs?: number): Promise<() => void>;
