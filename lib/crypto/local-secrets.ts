// The embedded default needs secrets without asking the user for any: generate them once and keep
// them beside the embedded database (mode 0600). Configured deployments pass them in env instead.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function dataDirectory(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? '.data');
}

export function localSecret(name: string, bytes = 32): string {
  const file = path.join(/*turbopackIgnore: true*/ dataDirectory(), 'secrets', name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = crypto.randomBytes(bytes).toString('base64url');
  try {
    fs.writeFileSync(file, value, { flag: 'wx', mode: 0o600 });
    return value;
  } catch (error) {
    // Another process generated it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}
