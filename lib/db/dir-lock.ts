// PGlite keeps no lock on its data directory, and two processes writing one directory silently
// lose writes. This lock file makes the second process fail loudly instead.
import fs from 'node:fs';
import path from 'node:path';

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database at ${dataDir} is already open in another process (pid ${pid}). ` +
        'PGlite allows one process per data directory: stop that process (for example the running ' +
        '`npm run dev`), or point this one elsewhere with PGLITE_DIR, or use a PostgreSQL server via DATABASE_URL.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dataDir>.lock` for this process; returns the release function. */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = `${path.resolve(/*turbopackIgnore: true*/ dataDir)}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
        throw new DatabaseLockedError(dataDir, holder);
      }
      // A lock left by a process that died (or by ourselves before a hot reload): take it over.
      fs.unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not lock the embedded database at ${dataDir}`);
}
