// What flows between the steps of a row: plain JSON-ish values, or a Failure that stops the row.

/** A step's refusal: carried as a value so the hot path never throws. */
export class Failure {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

/** Nothing to map: absent, null, an empty string or an empty list. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A short, safe rendering of a value for error messages (values can be huge or personal). */
export function preview(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from its plain decimal spelling, else NaN. */
export function parseNumeric(text: string): number {
  if (text.length > 64 || !NUMERIC.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}
