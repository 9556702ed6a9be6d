// PGlite keeps no lock on its data directory, and two processes writing one directory silently
// lose writes. This lock file (`<dataDir>.lock`) makes the second one fail loudly instead.
// Plain JavaScript because the embedded database's own process (embedded-server.mjs) takes it and
// must run without tsx or a bundler; lib/db/dir-lock.ts re-exports it, typed, for in-process use.
//
// The file holds "<pid> <owner pid>": the process that has the database open and, when that is the
// embedded server, the app process it serves. The owner is who a person must stop, so the error
// names it. A lock whose process is gone is stale and taken over; a lock whose server is still
// alive but whose owner is gone belongs to a server that is closing after its app crashed, so the
// next start waits for it (a moment) instead of failing or, worse, opening the directory twice.
import fs from 'node:fs';
import path from 'node:path';

export class DatabaseLockedError extends Error {
  constructor(dataDir, pid) {
    super(
      `The embedded database at ${dataDir} is already open in another process (pid ${pid}). ` +
        'PGlite allows one process per data directory: stop that process (for example the running ' +
        '`npm run dev`), or point this one elsewhere with PGLITE_DIR, or use a PostgreSQL server via DATABASE_URL.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function processIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function readHolder(lockPath) {
  try {
    const [pid, owner] = fs.readFileSync(lockPath, 'utf8').trim().split(/\s+/).map((part) => Number.parseInt(part, 10));
    return { pid, owner: Number.isInteger(owner) ? owner : undefined };
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * One attempt: returns the release function, or `{ wait: pid }` when the holder is a server whose
 * app has died (it is closing: try again shortly). Throws DatabaseLockedError when a live process
 * holds the directory.
 */
function tryAcquire(dataDir, ownerPid) {
  const lockPath = `${path.resolve(/*turbopackIgnore: true*/ dataDir)}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const content = ownerPid ? `${process.pid} ${ownerPid}` : String(process.pid);
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === content) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockPath);
    if (!holder) continue;
    const { pid, owner } = holder;
    if (Number.isInteger(pid) && pid !== process.pid && processIsAlive(pid)) {
      if (owner !== undefined && owner !== ownerPid && !processIsAlive(owner)) return { wait: pid };
      throw new DatabaseLockedError(dataDir, owner ?? pid);
    }
    // A lock left by a process that died (or by ourselves before a hot reload): take it over.
    try {
      fs.unlinkSync(lockPath);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`Could not lock the embedded database at ${dataDir}`);
}

/** Takes `<dataDir>.lock` for this process; returns the release function. */
export function acquireDirectoryLock(dataDir) {
  const result = tryAcquire(dataDir, undefined);
  if (result.release) return result.release;
  throw new DatabaseLockedError(dataDir, result.wait);
}

/**
 * The embedded server's variant: records the app process it serves, and waits up to `graceMs` for
 * a server that is still closing after its app died (a restart right after a crash).
 */
export async function acquireDirectoryLockFor(dataDir, ownerPid, graceMs = 10_000) {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const result = tryAcquire(dataDir, ownerPid);
    if (result.release) return result.release;
    if (Date.now() > deadline) throw new DatabaseLockedError(dataDir, result.wait);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
