// The regex guard: catastrophic shapes are refused at save time, ordinary patterns pass, and an
// accepted pattern on adversarial input returns (inputs are capped before a regex ever runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, type MappingDefinition } from '@/lib/mapping';
import { LIMITS } from '@/lib/mapping/limits';
import { checkRegex } from '@/lib/mapping/safe-regex';

describe('checkRegex', () => {
  it.each([
    '^[A-Z]{2}\\d{4}$',
    '^[^@]+@[^@]+\\.[a-z]+$',
    '^\\s*\\w+\\s*$',
    '\\d+\\.\\d+',
    '^\\+?[0-9 ()-]{7,20}$',
    '(ab|cd)*',
    '^(\\d{3}-)+$',
    '^a.*b.*c',
    '\\p{Lu}\\p{Ll}+',
    '^(?<area>\\d{3})-(?<number>\\d{4})$',
    '[\\u0000-\\uffff]',
    'colou?r',
  ])('accepts %s', (pattern) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
  });

  it.each([
    ['(a+)+', /nested quantifiers/],
    ['(a*)*b', /nested quantifiers/],
    ['(.*)*', /nested quantifiers/],
    ['^(\\w+\\s?)*$', /nested quantifiers/],
    ['([a-z]+\\.)+com', /nested quantifiers/],
    ['(a?)*', /nested quantifiers/],
    ['(a|a)*', /alternatives that can start with the same character/],
    ['(a|ab)+c', /alternatives that can start with the same character/],
    ['(\\w|\\d)+$', /alternatives that can start with the same character/],
    ['(x|X)+', /alternatives/, true],
    ['a.*b.*c', /competing repetitions/],
    ['.*.*=.*', /competing repetitions/],
    ['(a*){3}', /competing repetitions/],
    ['(a*){40}', /large fixed repetition/],
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['(?=a)b', /lookahead and lookbehind/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['a{2000}', /above 1000/],
    ['[', /invalid regular expression/],
    ['a{1', /invalid regular expression/],
    ['', /empty/],
    ['a'.repeat(LIMITS.regexPattern + 1), /longer than/],
  ] as [string, RegExp, boolean?][])('rejects %s', (pattern, message, ignoreCase) => {
    const check = checkRegex(pattern, { ignoreCase });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('accounts for case folding: (a|A)+ is ambiguous only when matching ignores case', () => {
    expect(checkRegex('(a|A)+').ok).toBe(true);
    expect(checkRegex('(a|A)+', { ignoreCase: true }).ok).toBe(false);
  });
});

const regexMapping = (pattern: string): MappingDefinition => ({
  version: 1,
  model: 'Contact',
  rows: [
    { id: 'email', target: 'email', source: 'email' },
    { id: 'notes', target: 'notes', source: 'notes', validations: [{ rule: 'regex', pattern }] },
    { id: 'company', target: 'company', source: 'notes', transforms: [{ op: 'replace', find: pattern, with: '#', regex: true }] },
  ],
});

describe('accepted patterns on adversarial input', () => {
  // Quadratic-at-worst patterns that passed the guard, with inputs built to make them backtrack.
  const accepted = ['^a.*b.*c$', '\\d+\\.\\d+x', '\\s*,\\s*x', '[a-z]+[0-9]+$', '^[^@]+@[^@]+\\.[a-z]+$'];

  it('an over-long input is refused without running the pattern', () => {
    for (const pattern of accepted) expect(checkRegex(pattern)).toEqual({ ok: true });
    const compiled = compileMapping(regexMapping('^a.*b.*c$'));
    const { output, errors } = applyMapping(compiled, { email: 'a@example.com', notes: `a${'b'.repeat(1_000_000)}` });
    expect(output.notes).toBeUndefined();
    expect(errors.map((e) => [e.target, e.code])).toEqual([
      ['notes', 'too_long'],
      ['company', 'too_long'],
    ]);
  });

  it('inputs up to the cap, built from the pattern’s own characters, finish and give an answer', () => {
    const compiled = accepted.map((pattern) => compileMapping(regexMapping(pattern)));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: compiled.length - 1 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '1', '.', ' ', ',', '@', 'x'), minLength: LIMITS.regexInput - 20, maxLength: LIMITS.regexInput }),
        (which, notes) => {
          const { errors } = applyMapping(compiled[which], { email: 'a@example.com', notes });
          // Either the value matched or it is a per-field error: never a hang, never a throw. On a
          // loaded machine (the whole suite in parallel) two searches over a capped input can pass
          // the record's 25 ms regex budget, and that too is a per-field error, regex_budget.
          for (const error of errors) expect(['regex', 'type', 'regex_budget']).toContain(error.code);
        },
      ),
      { numRuns: 60, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true },
    );
  });
});
