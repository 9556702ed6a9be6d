// Deterministic fake data: a seeded PRNG and realistic-looking values. Every value comes from an
// Rng seeded by what it describes (provider, account, resource, index, version), so the same record
// always looks the same in every run and on every machine.

/** A uniform number in [0, 1). */
export type Rng = () => number;

/** FNV-1a, 32 bits: a cheap, well-spread hash for seeds and short tags. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFor(...parts: (string | number)[]): Rng {
  return mulberry32(hash32(parts.join('|')));
}

/** Eight lowercase hex digits naming `text`, for ids that must differ per account. */
export function tag(text: string): string {
  return hash32(text).toString(16).padStart(8, '0');
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
export const between = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

const FIRST_NAMES = [
  'Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Tim', 'Radia',
  'Edsger', 'Hedy', 'Donald', 'Shafi', 'John', 'Sophie', 'Guido', 'Anita', 'Bjarne', 'Joan', 'James', 'Evelyn',
  'Oliver', 'Amelia', 'Noah', 'Isla', 'Leo', 'Freya', 'Arthur', 'Mia', 'Oscar', 'Ava', 'Theo', 'Lily', 'Mohammed',
  'Priya', 'Wei', 'Yuki', 'Kwame', 'Zara', 'Mateo', 'Ines', 'Lars', 'Aoife', 'Chloé', 'Siobhán',
] as const;
const LAST_NAMES = [
  'Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen',
  'Berners-Lee', 'Perlman', 'Dijkstra', 'Lamarr', 'Knuth', 'Goldwasser', 'McCarthy', 'Wilson', 'van Rossum', 'Borg',
  'Stroustrup', 'Clarke', 'Gosling', 'Boyd', 'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Evans', 'Patel',
  'Khan', 'Nguyen', 'Kowalski', "O'Brien", 'García', 'Müller', 'Rossi', 'Okafor', 'Tanaka', 'Murphy', 'Walsh',
] as const;
const COMPANIES = [
  'Acme Ltd', 'Globex Corporation', 'Initech', 'Umbrella Health', 'Stark Industries', 'Wayne Enterprises',
  'Hooli', 'Pied Piper', 'Vandelay Industries', 'Soylent Foods', 'Cyberdyne Systems', 'Tyrell Corporation',
  'Wonka Confectionery', 'Gringotts Bank', 'Oceanic Airlines', 'Monarch Solutions', 'Blue Sun', 'Massive Dynamic',
  'Aperture Science', 'Black Mesa', 'Nakatomi Trading', 'Prestige Worldwide', 'Dunder Mifflin', 'Sterling Cooper',
] as const;
const TITLES = [
  'Chief Executive Officer', 'Head of Operations', 'Office Manager', 'Marketing Director', 'Sales Manager',
  'Account Executive', 'Software Engineer', 'Product Manager', 'Finance Director', 'Procurement Lead',
  'Customer Success Manager', 'HR Business Partner', 'Studio Owner', 'Practice Manager', 'Receptionist',
] as const;
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'] as const;

export function personName(rng: Rng): { first: string; last: string } {
  return { first: pick(rng, FIRST_NAMES), last: pick(rng, LAST_NAMES) };
}

/** Unique per record thanks to the index suffix; reserved example domains only. */
export function email(first: string, last: string, index: number, rng: Rng): string {
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return `${local}.${index.toString(36)}@${pick(rng, DOMAINS)}`;
}

/** UK numbers Ofcom reserves for drama (07700 900000–900999): never a real person's. */
export function phone(rng: Rng): string {
  return `+44 7700 900${String(between(rng, 0, 999)).padStart(3, '0')}`;
}

export const company = (rng: Rng) => pick(rng, COMPANIES);
export const jobTitle = (rng: Rng) => pick(rng, TITLES);

/** A whole amount with two decimals, e.g. 1250.5 → 1250.5 (as a number). */
export function amount(rng: Rng, min: number, max: number): number {
  return Math.round((min + rng() * (max - min)) * 100) / 100;
}

/** Rounds to the quarter hour, as people book. */
export function quarterHour(ms: number): number {
  const quarter = 15 * 60 * 1000;
  return Math.round(ms / quarter) * quarter;
}
