// Size limits on a mapping. A mapping is user-supplied data interpreted once per synced record, so
// every dimension that multiplies work or memory has a ceiling checked when the mapping is saved.
export const LIMITS = {
  rows: 100,
  pathLength: 200,
  pathDepth: 16,
  /** Paths in one coalesce/concat source or transform. */
  sources: 10,
  transforms: 16,
  validations: 8,
  lookupEntries: 500,
  lookupKeyLength: 200,
  /** Literal strings in arguments: defaults, replacements, lookup values, messages. */
  stringArgument: 500,
  separator: 20,
  regexPattern: 200,
  /** Regexes only ever run on strings up to this long; longer input is an error, not a hang. */
  regexInput: 1000,
  enumValues: 500,
  datePattern: 40,
  rowId: 64,
} as const;

/** Output ceilings per field: what one mapped value may hold. */
export const OUTPUT_LIMITS = {
  string: 10_000,
  arrayItems: 500,
} as const;
