// A record's content hash: SHA-256 of its canonical JSON (object keys sorted at every depth),
// so the same content always hashes the same whatever order the provider sent its keys in.
// Built with plain string appends: this runs for every record of every sync.
import crypto from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/** The canonical JSON (stored as the record's raw JSON, so it is built once) and its hash. */
export function canonicalRecord(value: unknown): { json: string; hash: string } {
  const json = canonicalJson(value);
  return { json, hash: crypto.createHash('sha256').update(json).digest('hex') };
}

export function contentHash(value: unknown): string {
  return canonicalRecord(value).hash;
}
