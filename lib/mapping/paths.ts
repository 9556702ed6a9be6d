// Paths into a provider's record: `properties.firstname`, `attendees[0].email`, `items.0.id`.
// A path is parsed once when the mapping is saved and compiled to a getter; nothing is evaluated.
import { LIMITS } from './limits';

/** Keys that reach an object's prototype machinery; never accepted wherever a key is named. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface Segment {
  /** The property name (an index's decimal form for numeric segments). */
  key: string;
  /** Array index, or -1 when the segment is not a plain non-negative integer. */
  index: number;
}

export type PathResult = { ok: true; segments: Segment[] } | { ok: false; message: string };

const NAME = /^[\p{L}\p{N}_$@:-]+$/u;
const INDEX = /^(?:0|[1-9]\d{0,5})$/;

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** A key that may appear as a name segment of a path. */
export function isPathName(key: string): boolean {
  return key.length > 0 && key.length <= LIMITS.pathLength && NAME.test(key) && !FORBIDDEN_KEYS.has(key);
}

function segment(key: string): Segment {
  return { key, index: INDEX.test(key) ? Number(key) : -1 };
}

export function parsePath(text: string): PathResult {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, message: 'path is empty' };
  if (text.length > LIMITS.pathLength) return { ok: false, message: `path is longer than ${LIMITS.pathLength} characters` };
  const segments: Segment[] = [];
  let i = 0;
  let expectName = true;
  while (i < text.length) {
    const c = text[i];
    if (c === '[') {
      if (expectName && segments.length > 0) return { ok: false, message: `"${text}" has "." before "[" at position ${i + 1}` };
      const close = text.indexOf(']', i);
      const inner = close < 0 ? '' : text.slice(i + 1, close);
      if (!INDEX.test(inner)) return { ok: false, message: `"${text}" has an invalid index at position ${i + 1} (use [0], [1], …)` };
      segments.push(segment(inner));
      i = close + 1;
      expectName = false;
    } else if (c === '.') {
      if (expectName) return { ok: false, message: `"${text}" has an empty segment at position ${i + 1}` };
      i++;
      expectName = true;
      if (i === text.length) return { ok: false, message: `"${text}" ends with "."` };
    } else {
      if (!expectName) return { ok: false, message: `"${text}" needs "." before position ${i + 1}` };
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      const name = text.slice(i, end);
      if (FORBIDDEN_KEYS.has(name)) return { ok: false, message: `"${name}" is not allowed in a path` };
      if (!NAME.test(name)) return { ok: false, message: `"${name}" is not a valid path segment (letters, digits, _ $ @ : - only)` };
      segments.push(segment(name));
      i = end;
      expectName = false;
    }
    if (segments.length > LIMITS.pathDepth) return { ok: false, message: `path is deeper than ${LIMITS.pathDepth} segments` };
  }
  return { ok: true, segments };
}

/** The canonical spelling: names joined by ".", indices as [n]. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += s.index >= 0 ? `[${s.index}]` : out === '' ? s.key : `.${s.key}`;
  return out;
}

/** The path with every index made [0]: how the source picker lists array items. */
export function pathShape(text: string): string | undefined {
  const parsed = parsePath(text);
  if (!parsed.ok) return undefined;
  return formatPath(parsed.segments.map((s) => (s.index >= 0 ? { key: '0', index: 0 } : s)));
}

function child(current: unknown, seg: Segment): unknown {
  if (typeof current !== 'object' || current === null) return undefined;
  if (Array.isArray(current)) return seg.index >= 0 ? current[seg.index] : undefined;
  const value = (current as Record<string, unknown>)[seg.key];
  // JSON never holds functions: a function here is inherited (toString, valueOf…), not data.
  return typeof value === 'function' ? undefined : value;
}

export type Getter = (root: unknown) => unknown;

/** A getter specialised by depth, since most paths have one to three segments. */
export function compileGetter(segments: readonly Segment[]): Getter {
  const [a, b, c] = segments;
  switch (segments.length) {
    case 0:
      return (root) => root;
    case 1:
      return (root) => child(root, a);
    case 2:
      return (root) => child(child(root, a), b);
    case 3:
      return (root) => child(child(child(root, a), b), c);
    default:
      return (root) => {
        let current = root;
        for (let i = 0; i < segments.length && current !== undefined; i++) current = child(current, segments[i]);
        return current;
      };
  }
}

/** Parses and compiles, for paths already validated by the mapping schema. */
export function getterFor(path: string): Getter {
  const parsed = parsePath(path);
  if (!parsed.ok) throw new Error(`invalid path: ${parsed.message}`);
  return compileGetter(parsed.segments);
}
