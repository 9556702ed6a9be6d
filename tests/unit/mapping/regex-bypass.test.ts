// Issue 12, item 1: the {m,n} reader looked at only the next 24 characters, so a count padded with
// zeros ({0000000000000000000001,}) was not read as a quantifier at all, (a+)+ slipped past the
// nested-repetition rule, and JavaScript's backtracking engine ran it: over half a second on
// "a" x 24 + "!", doubling per character. Now every count is read whole, and every user pattern
// runs on RE2, which cannot backtrack.
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, parseMapping, type MappingDefinition } from '@/lib/mapping';
import { LIMITS } from '@/lib/mapping/limits';
import { checkRegex, resetRegexBudget, SafeRegex } from '@/lib/mapping/safe-regex';

const BYPASS = '^(?:a+){0000000000000000000001,}$';

/**
 * A pattern as the translator hands it to RE2, counts normalised. (RE2 would read an over-long
 * count such as {0000000000000000000001,} as literal text: one more reader that disagrees.)
 */
const engineSource = (pattern: string) => pattern.replace(/\{0+(?=\d)/g, '{');

/** The fastest of three runs: on a shared machine, scheduling noise only ever adds time. */
function fastest(run: (attempt: number) => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    run(attempt);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const regexMapping = (pattern: string): MappingDefinition => ({
  version: 1,
  model: 'Contact',
  rows: [
    { id: 'email', target: 'email', source: 'email' },
    { id: 'notes', target: 'notes', source: 'notes', validations: [{ rule: 'regex', pattern }] },
    { id: 'company', target: 'company', source: 'notes', transforms: [{ op: 'replace', find: pattern, with: '<$&>', regex: true }] },
  ],
});

describe('the published bypass', () => {
  it('is refused by checkRegex, however the count is padded', () => {
    expect(checkRegex(BYPASS)).toEqual({ ok: false, message: expect.stringMatching(/repetition count may have at most 4 digits/) });
    for (const zeros of [1, 3, 4, 21, 150]) {
      expect(checkRegex(`^(?:a+){${'0'.repeat(zeros)}1,}$`).ok, `${zeros} zeros`).toBe(false);
    }
    // And what the padding hid is refused on its own merits.
    expect(checkRegex('^(?:a+){1,}$')).toEqual({ ok: false, message: expect.stringMatching(/nested quantifiers/) });
    expect(checkRegex('^(?:a+){0001,}$')).toEqual({ ok: false, message: expect.stringMatching(/nested quantifiers/) });
  });

  it('is refused when a mapping is saved, at the pattern’s path (a 422 from the routes)', () => {
    const parsed = parseMapping(regexMapping(BYPASS));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        { path: 'rows[1].validations[0].pattern', message: expect.stringMatching(/at most 4 digits/) },
        { path: 'rows[2].transforms[0].find', message: expect.stringMatching(/at most 4 digits/) },
      ]),
    );
    expect(() => compileMapping(regexMapping(BYPASS))).toThrow(/at most 4 digits/);
  });

  it('even run directly on the engine (past the guard), it answers in well under 50 ms', () => {
    const regex = new SafeRegex(engineSource(BYPASS), false, []);
    for (const n of [24, 25, 1000 - 1]) {
      const ms = fastest(() => {
        resetRegexBudget(); // as applyMapping does for each record
        expect(regex.test(`${'a'.repeat(n)}!`)).toBe(false);
      });
      expect(ms, `${n} a's`).toBeLessThan(50);
    }
    resetRegexBudget();
    expect(regex.test('a'.repeat(1000))).toBe(true);
  });
});

describe('repetition counts are read whole', () => {
  it.each(['a{3}', 'a{0001}', 'a{2,0010}', 'a{2,}', '^\\d{3}-\\d{4}$', '^x{0,100}$', '\\{a\\}', '[{}]'])('accepts %s', (pattern) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
  });

  it.each([
    ['a{00001}', /at most 4 digits/],
    ['a{1,00001}', /at most 4 digits/],
    [`a{${'0'.repeat(60)}1}`, /at most 4 digits/],
    [`a{1,${'0'.repeat(60)}2}`, /at most 4 digits/],
    ['a{1001}', /above 1000/],
    ['a{0,101}', /at most 100 optional copies/],
    ['a{', /invalid regular expression/],
    ['a{1', /invalid regular expression/],
    ['a{1,2', /invalid regular expression/],
    ['a{,2}', /invalid regular expression/],
    ['{1}', /invalid regular expression/],
    ['a{2}{3}', /invalid regular expression/],
  ] as [string, RegExp][])('refuses %s', (pattern, message) => {
    const check = checkRegex(pattern);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });
});

// The classic catastrophic shapes, as written and with their quantifiers padded past the old
// 24-character window, each with an input built to make a backtracking engine explode.
const CATASTROPHIC: [string, string][] = [
  ['(a+)+$', `${'a'.repeat(999)}!`],
  ['(a|aa)+$', `${'a'.repeat(999)}!`],
  ['(a|a?)+$', `${'a'.repeat(999)}!`],
  ['(.*a){20}', `${'a'.repeat(19)}${'b'.repeat(981)}`],
  ['^(\\w+\\s?)*$', `${'ab '.repeat(333)}!`],
  ['(a+){0000000000000000000001,}$', `${'a'.repeat(999)}!`],
  ['(a|aa){00000000000000000000001,}$', `${'a'.repeat(999)}!`],
  ['(a|a?){000000000000000000000001,}$', `${'a'.repeat(999)}!`],
  ['(.*a){0000000000000000000000020}', `${'a'.repeat(19)}${'b'.repeat(981)}`],
  ['^(\\w+\\s?){00000000000000000000000,}$', `${'ab '.repeat(333)}!`],
  ['(a{0000000000000000000001,})+$', `${'a'.repeat(999)}!`],
];

describe('classic catastrophic patterns', () => {
  it.each(CATASTROPHIC)('%s is refused when saved', (pattern) => {
    expect(checkRegex(pattern).ok).toBe(false);
    expect(parseMapping(regexMapping(pattern)).ok).toBe(false);
  });

  it.each(CATASTROPHIC)('%s, run directly on the engine, takes well under 50 ms on 1000 adversarial characters', (pattern, input) => {
    expect(input.length).toBeLessThanOrEqual(LIMITS.regexInput);
    const regex = new SafeRegex(engineSource(pattern), false, []);
    let answer: unknown;
    const ms = fastest(() => {
      resetRegexBudget();
      answer = regex.test(input);
    });
    expect(typeof answer).toBe('boolean');
    expect(ms).toBeLessThan(50);
    // The same answer JavaScript gives, on an input short enough for backtracking to finish.
    const short = input.slice(0, 12) + input.slice(-1);
    resetRegexBudget();
    expect(regex.test(short)).toBe(new RegExp(engineSource(pattern), 'u').test(short));
  });
});

// Patterns the guard accepts, chosen as the slowest shapes for RE2's DFA (a mandatory marker
// followed by a stretch that also matches it, counted repetitions, dense replace-all), on records
// built against them. Each mapping validates and replaces with the pattern: two runs per record.
const ACCEPTED: [string, () => string][] = [
  ['^a.*b.*c$', () => `a${'b'.repeat(998)}x`],
  ['[ab]*a[ab]{8}c', () => randomOf('ab', 1000)],
  ['a[ab]{8}c', () => randomOf('ab', 1000)],
  ['a[ab][ab][ab][ab][ab][ab][ab]c', () => randomOf('ab', 1000)],
  ['a.{3}1', () => randomOf('ab1', 1000)],
  ['^[a-z]{1000}', () => 'a'.repeat(999)],
  ['^.{0,100}$', () => 'x'.repeat(1000)],
  ['\\b\\d{3}-\\d{3}-\\d{4}\\b', () => randomOf('0123456789- ', 1000)],
  ['\\+?\\d{1,3}[ -]?\\d{3}[ -]?\\d{4}', () => randomOf('0123456789- +', 1000)],
  ['[\\w.+-]+@[\\w-]+\\.[a-z]{2,}', () => randomOf('ab.@-_+x', 1000)],
  ['^\\p{L}+$', () => `${randomOf('aéßΩжあ', 999)}1`],
  ['\\p{L}+x', () => randomOf('aéßΩжあ ', 1000)],
  ['\\d', () => randomOf('0123456789', 1000)],
  ['[^a]', () => randomOf('ab😀é', 1000)],
  ['\\s+', () => randomOf('a \t\u00a0', 1000)],
];

function randomOf(chars: string, length: number): string {
  const units = [...chars];
  let out = '';
  while (out.length < length) {
    const next = units[Math.floor(Math.random() * units.length)];
    if (out.length + next.length > length) break;
    out += next;
  }
  return out.padEnd(length, units[0].length === 1 ? units[0] : 'a');
}

describe('accepted patterns on the mapping apply path', () => {
  it.each(ACCEPTED)('%s: one record takes well under 50 ms', (pattern, input) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
    // A fresh mapping (and so a fresh DFA) and a fresh input per attempt: nothing is warm.
    const compiled = [0, 1, 2].map((k) => compileMapping(regexMapping(pattern + '(?:)'.repeat(k))));
    const ms = fastest((attempt) => {
      const { errors } = applyMapping(compiled[attempt], { email: 'a@example.com', notes: input() });
      // A dense replace-all on a busy machine may use up the record's budget: a failure, not a hang.
      for (const error of errors) expect(['regex', 'type', 'regex_budget']).toContain(error.code);
    });
    expect(ms).toBeLessThan(50);
  });

  it('many regex steps on a long list: the record stops at its budget instead of running for seconds', () => {
    const steps = Array.from({ length: LIMITS.transforms }, (_, k) => ({ op: 'replace', find: `[ab]*a[ab]{8}c|${k}`, with: '-', regex: true }));
    const compiled = compileMapping({
      version: 1,
      model: 'Contact',
      rows: [
        { id: 'email', target: 'email', source: 'email' },
        { id: 'notes', target: 'notes', source: 'tags', transforms: steps },
      ],
    } as MappingDefinition);
    const tags = Array.from({ length: 200 }, () => randomOf('ab', 1000));
    let result: ReturnType<typeof applyMapping> | undefined;
    const ms = fastest(() => {
      result = applyMapping(compiled, { email: 'a@example.com', tags });
    });
    expect(ms).toBeLessThan(50);
    expect(result?.output.email).toBe('a@example.com');
    expect(result?.errors).toEqual([{ target: 'notes', code: 'regex_budget', message: expect.stringMatching(/time budget/) }]);
    // The next record starts with a fresh budget.
    expect(applyMapping(compiled, { email: 'a@example.com', tags: 'xyz' })).toEqual({ output: { email: 'a@example.com', notes: 'xyz' }, errors: [] });
  });
});
