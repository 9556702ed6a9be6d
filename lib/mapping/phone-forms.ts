// Phone numbers as CRMs hold them: phone fields are free text ("+44 20 7946 0011", "020 7946 0011",
// "(415) 555-0132"), and a search filter or phrase only matches the value as written. So a number
// is searched in the forms people write it (E.164, international, national, national digits), and
// what a search returns is checked against the number itself.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { toE164, type CountryCode } from './phones';

export interface PhoneForms {
  e164: string;
  /** The national significant number (no country code, no trunk prefix): "2079460011". */
  nationalNumber?: string;
  /** Every written form worth searching for, E.164 first. */
  forms: string[];
}

/** The ways an E.164 number is commonly written (libphonenumber-js formats). */
export function phoneForms(e164: string): PhoneForms {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return { e164, forms: [e164] };
  const national = parsed.formatNational();
  const forms = [parsed.number, parsed.formatInternational(), national, national.replace(/\D/g, ''), parsed.nationalNumber];
  return { e164: parsed.number, nationalNumber: parsed.nationalNumber, forms: [...new Set([e164, ...forms].filter(Boolean))] };
}

/**
 * Whether a stored phone value is this number: the same E.164 in the default region, or, written
 * without a country code, the same national number.
 */
export function isSamePhone(stored: unknown, wanted: PhoneForms, region: string): boolean {
  if (typeof stored !== 'string' || !stored.trim()) return false;
  if (toE164(stored, region as CountryCode) === wanted.e164) return true;
  if (/^\s*(\+|00)/.test(stored) || !wanted.nationalNumber) return false;
  return stored.replace(/\D/g, '').replace(/^0+/, '') === wanted.nationalNumber;
}

/** A stored phone value as E.164, when it reads as one in the default region. */
export function storedE164(stored: unknown, region: string): string | undefined {
  return typeof stored === 'string' && stored.trim() ? toE164(stored, region as CountryCode) : undefined;
}
