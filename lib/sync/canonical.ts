// A record's content hash: SHA-256 of its canonical JSON (object keys sorted at every depth),
// so the same content always hashes the same whatever order the provider sent its keys in.
// This runs for every record of every sync, so the usual way is a copy with keys inserted in
// sorted order, serialised by the engine's own JSON.stringify; keys that JSON.stringify would
// not keep in insertion order take the slower way, which builds the string itself.
import crypto from 'node:crypto';

/** Keys JavaScript orders numerically ahead of all others, and `__proto__`, which assignment would not copy. */
const UNORDERED_KEY = /^(?:0|[1-9]\d*|__proto__)$/;

class UnorderedKey extends Error {}

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = sortedCopy(value[i]);
    return copy;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (UNORDERED_KEY.test(key)) throw new UnorderedKey();
    copy[key] = sortedCopy(object[key]);
  }
  return copy;
}

/** The same result built by hand: for objects whose keys sortedCopy cannot order. */
function canonicalByHand(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalByHand(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalByHand(member)}`;
    first = false;
  }
  return `${out}}`;
}

export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(sortedCopy(value)) ?? 'null';
  } catch (error) {
    if (error instanceof UnorderedKey) return canonicalByHand(value);
    throw error;
  }
}

/** The canonical JSON (stored as the record's raw JSON, so it is built once) and its hash. */
export function canonicalRecord(value: unknown): { json: string; hash: string } {
  const json = canonicalJson(value);
  return { json, hash: crypto.hash('sha256', json, 'hex') };
}

export function contentHash(value: unknown): string {
  return canonicalRecord(value).hash;
}
