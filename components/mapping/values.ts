// How mapped and sample values read on screen: text as written, everything else as JSON.

/** A sample value in a hint: strings quoted so that empty or space-only text is visible. */
export function sampleText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A mapped value in a table cell. */
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value);
}
