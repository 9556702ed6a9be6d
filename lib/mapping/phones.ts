// Phone numbers to E.164. libphonenumber-js is the authority, but it costs tens of microseconds a
// call, more than the rest of a record's mapping. Most provider data is already international
// ("+447700900123" or the sandbox's "+44 7700 900123"), so a fast path accepts exactly those
// numbers libphonenumber-js would accept unchanged: a known calling code, a possible national
// length, and no leading national prefix (which libphonenumber strips: +44 0770… → +44 770…).
// Everything else goes to the library.
import { getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';

/** Longest input we hand to the parser; a phone number is never this long. */
const MAX_PHONE_INPUT = 64;

interface Plan {
  /** lengths[n]: whether a national number of n digits is possible. */
  lengths: boolean[];
  /** National prefixes libphonenumber would strip; a number starting with one takes the slow path. */
  prefixes: string[];
}

/** Indexed by calling code (1–999): undefined if unassigned, false where the fast path must not guess. */
let plans: (Plan | false | undefined)[] | undefined;

interface PlanInternals {
  possibleLengths(): number[];
  nationalPrefixForParsing?(): string | undefined;
  nationalPrefixTransformRule?(): string | undefined;
}

/**
 * The fast-path rules for a calling code shared by `countries`: lengths possible in every one of
 * them (libphonenumber picks the country by leading digits, which we do not replicate), and the
 * national prefixes any of them strips. Anything we cannot read as such makes the code slow-path only.
 */
function planFor(countries: readonly string[]): Plan | false {
  let lengths: Set<number> | undefined;
  const prefixes = new Set<string>();
  const wholeNumberLengths: number[] = [];
  try {
    for (const country of countries) {
      if (!isSupportedCountry(country)) return false;
      const meta = new Metadata();
      meta.selectNumberingPlan(country);
      const plan = meta.numberingPlan as unknown as PlanInternals | undefined;
      // Guard against a library upgrade changing these (untyped) accessors: then no fast path.
      if (!plan || typeof plan.nationalPrefixForParsing !== 'function' || typeof plan.nationalPrefixTransformRule !== 'function') return false;
      const own = new Set(plan.possibleLengths());
      lengths = lengths ? new Set([...lengths].filter((n) => own.has(n))) : own;
      let transformable = false;
      for (const alternative of plan.nationalPrefixForParsing()?.split('|') ?? []) {
        // "80?" strips "8" or "80": the required part is what marks a number for the slow path.
        if (/^\d+(?:\d\?)*$/.test(alternative)) {
          prefixes.add(alternative.replace(/\d\?/g, ''));
          continue;
        }
        // "([25-9]\d{5})$": a whole national number of one length (local dialling in GG, IM, JE, NANP islands).
        const whole = /^\((\[[\d-]+\]|\d+)\\d\{(\d+)\}\)\$$/.exec(alternative);
        if (!whole) return false;
        wholeNumberLengths.push((whole[1].startsWith('[') ? 1 : whole[1].length) + Number(whole[2]));
        transformable = true;
      }
      if (plan.nationalPrefixTransformRule() && !transformable) return false;
    }
  } catch {
    return false;
  }
  if (!lengths || lengths.size === 0 || [...prefixes].some((prefix) => prefix.length === 0)) return false;
  for (const length of wholeNumberLengths) lengths.delete(length);
  const table: boolean[] = [];
  for (const length of lengths) table[length] = true;
  return { lengths: table, prefixes: [...prefixes] };
}

function buildPlans(): (Plan | false | undefined)[] {
  const table: (Plan | false | undefined)[] = new Array(1000).fill(undefined);
  for (const [code, countries] of Object.entries(metadata.country_calling_codes)) table[Number(code)] = planFor(countries);
  return table;
}

/** E.164 for input libphonenumber-js would accept as-is, or undefined when unsure. */
export function fastE164(text: string): string | undefined {
  const length = text.length;
  if (length < 8 || length > 24 || text.charCodeAt(0) !== 43 /* + */) return undefined;
  let digits = '';
  let chunkStart = 1;
  let count = 0;
  let separated = false;
  for (let i = 1; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      count++;
    } else if (code === 32 || code === 45 || code === 46) {
      // Separators: space, hyphen, dot. Not parentheses: "(0)" marks a national prefix.
      if (i === chunkStart) return undefined;
      separated = true;
      digits += text.slice(chunkStart, i);
      chunkStart = i + 1;
    } else {
      return undefined;
    }
  }
  if (chunkStart === length) return undefined;
  digits = separated ? digits + text.slice(chunkStart) : text.slice(1);
  if (count < 7 || count > 15 || digits.charCodeAt(0) === 48) return undefined;
  plans ??= buildPlans();
  // Calling codes are prefix-free: at most one of the 1-, 2- and 3-digit prefixes is assigned.
  let callingCode = 0;
  for (let size = 1; size <= 3; size++) {
    callingCode = callingCode * 10 + (digits.charCodeAt(size - 1) - 48);
    const plan = plans[callingCode];
    if (plan === undefined) continue;
    if (plan === false) return undefined;
    if (!plan.lengths[count - size]) return undefined;
    for (const prefix of plan.prefixes) if (digits.startsWith(prefix, size)) return undefined;
    return separated ? `+${digits}` : text;
  }
  return undefined;
}

/** The E.164 form of a phone number, or undefined when it is not a possible number. */
export function toE164(text: string, defaultCountry?: CountryCode): string | undefined {
  const fast = fastE164(text);
  if (fast !== undefined) return fast;
  if (text.length > MAX_PHONE_INPUT) return undefined;
  try {
    const parsed = parsePhoneNumberFromString(text, defaultCountry);
    return parsed && parsed.isPossible() ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}

/** What libphonenumber-js alone says: the reference the fast path is tested against. */
export function slowE164(text: string, defaultCountry?: CountryCode): string | undefined {
  try {
    const parsed = parsePhoneNumberFromString(text, defaultCountry);
    return parsed && parsed.isPossible() ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}

export function isCountryCode(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isSupportedCountry(value) && getCountryCallingCode(value) !== undefined;
}

export type { CountryCode };
