// What of an action's input, output and error the action log keeps. Secrets go as on the Webhooks
// page (lib/webhooks/redact.ts: values under secret-looking keys replaced). Personal data is
// masked, so the log shows that a call carried an address or a number without keeping it:
//
// * Email addresses, anywhere (whole values or inside text): the local part goes, the domain stays:
//   `ada@example.com` → `***@example.com`.
// * Phone numbers: values under phone-like keys (phone, mobile, tel, fax, phone_number, …) and any
//   value that is a whole E.164 number keep their last two digits: `+447700900123` → `***23`.
// * Person names: values under name keys (firstName, last_name, fullName, givenName, surname,
//   displayName, HubSpot's firstname/lastname, …), and `name` in an object that also has an email
//   or a phone (a person, not a calendar or a service): the first letter stays, `Ada` → `A***`.
//
// Numbers, dates, ids, statuses and free text other than emails stay as they are. A value larger
// than MAX_LOGGED_JSON once redacted is replaced by a note of its size and a preview.
import { REDACTED, redactPayload } from '../webhooks/redact';

export const MAX_LOGGED_JSON = 32 * 1024;
const PREVIEW = 2_000;

// Bounded repetitions: linear in the text's length whatever it holds (a long run of letters with no @).
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+'-]{1,64}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})/g;
const E164 = /^\+[1-9]\d{6,14}$/;
const PHONE_WORDS = new Set(['phone', 'mobile', 'tel', 'telephone', 'fax', 'cell', 'cellphone', 'msisdn']);
const NAME_KEY =
  /^(first|last|full|given|family|middle|display|sur|nick|maiden|preferred)[-_]?name$|^(firstname|lastname|surname|fullname|givenname|familyname)$/i;
const CONTACT_KEY = /e-?mail|phone|mobile/i;

/** A key naming a phone number: one of its words (camelCase, snake_case, kebab-case) is a phone word, or it ends in "phone". */
export function isPhoneKey(key: string): boolean {
  if (/phone$/i.test(key)) return true;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => PHONE_WORDS.has(word));
}

export function maskEmail(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(EMAIL_IN_TEXT, (_match, domain: string) => `***@${domain}`);
}

export function maskPhone(value: string | number): string {
  const digits = String(value).replace(/\D/g, '');
  return digits.length <= 2 ? '***' : `***${digits.slice(-2)}`;
}

export function maskName(value: string): string {
  const first = [...value.trim()][0];
  return first ? `${first}***` : '***';
}

/** Text for the log (a provider's error message): emails and whole E.164 numbers masked. */
export function redactText(text: string): string {
  const masked = maskEmail(text);
  return masked.replace(/\+[1-9]\d{6,14}\b/g, (match) => maskPhone(match));
}

function maskPersonal(value: unknown, depth: number): unknown {
  if (depth > 40) return REDACTED;
  if (typeof value === 'string') return E164.test(value) ? maskPhone(value) : maskEmail(value);
  if (Array.isArray(value)) return value.map((item) => maskPersonal(item, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const person = entries.some(([key, item]) => CONTACT_KEY.test(key) && item !== null && item !== undefined && item !== '');
  return Object.fromEntries(
    entries.map(([key, item]) => {
      if (isPhoneKey(key)) {
        if (typeof item === 'string' || typeof item === 'number') return [key, maskPhone(item)];
        if (Array.isArray(item)) return [key, item.map((one) => (typeof one === 'string' || typeof one === 'number' ? maskPhone(one) : maskPersonal(one, depth + 1)))];
      }
      if (typeof item === 'string' && (NAME_KEY.test(key) || (person && /^name$/i.test(key)))) return [key, maskName(item)];
      return [key, maskPersonal(item, depth + 1)];
    }),
  );
}

/** An action's input or output as the log stores it (see the rules above). */
export function redactForLog(value: unknown): unknown {
  if (value === undefined) return null;
  // Far too large to keep: not even a preview (which would have to be redacted first).
  const size = (JSON.stringify(value) ?? 'null').length;
  if (size > 8 * MAX_LOGGED_JSON) return { truncated: true, bytes: size };
  const redacted = maskPersonal(redactPayload(value), 0);
  const json = JSON.stringify(redacted) ?? 'null';
  if (json.length <= MAX_LOGGED_JSON) return redacted;
  return { truncated: true, bytes: json.length, preview: json.slice(0, PREVIEW) };
}
