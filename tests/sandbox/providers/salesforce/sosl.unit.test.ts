// SOSL literals (lib/providers/salesforce/sosl.ts), read back by the sandbox's SOSL parser
// (tests/sandbox/providers/salesforce/sosl.ts), and the duplicate-rule ids carried through a
// provider error's sentence (lib/providers/salesforce/errors.ts).
import { describe, expect, it } from 'vitest';
import { describeSalesforceError, duplicateIdsIn, duplicateIdsOf } from '@/lib/providers/salesforce/errors';
import { soslAnyOf, soslEscape, soslPhrase } from '@/lib/providers/salesforce/sosl';
import { parseSosl, satisfies, type SearchNode } from '@/tests/sandbox/providers/salesforce/sosl';

const RESERVED = '?&|!{}[]()^~*:\\"\'+-';

describe('SOSL literals', () => {
  it('escapes every reserved character with a backslash', () => {
    expect(soslEscape(RESERVED)).toBe([...RESERVED].map((ch) => `\\${ch}`).join(''));
    expect(soslEscape('+44 20 7946 0011')).toBe('\\+44 20 7946 0011');
    expect(soslEscape("o'brien+x@ex-ample.com")).toBe("o\\'brien\\+x@ex\\-ample.com");
    expect(soslEscape('plain words 123')).toBe('plain words 123');
  });

  it('turns control characters into spaces', () => {
    expect(soslEscape('a\nb\tc\u0000d\u007f')).toBe('a b c d ');
  });

  it('quotes a literal as one phrase, so words like OR and AND are not operators', () => {
    expect(soslPhrase('+44 20 7946 0011')).toBe('"\\+44 20 7946 0011"');
    expect(soslPhrase('  cats  OR   dogs ')).toBe('"cats OR dogs"');
    expect(() => soslPhrase(' \n ')).toThrow();
  });

  it('builds an OR of distinct phrases in braces', () => {
    expect(soslAnyOf(['+442079460011', '+44 20 7946 0011', '+442079460011', '020 7946 0011'])).toBe(
      '{"\\+442079460011" OR "\\+44 20 7946 0011" OR "020 7946 0011"}',
    );
    expect(() => soslAnyOf([])).toThrow();
  });

  const hostile = [
    '"} IN ALL FIELDS RETURNING User(Id, Email) LIMIT 200 --',
    '} RETURNING Contact(Id)',
    '\\} OR {*',
    '7*',
    '* OR ?',
    '"x" OR "y"',
    "x' OR Email != '",
    'a\\',
    'a\\"b',
    '(a OR b) AND NOT c',
    'ends with backslash \\',
    '{{{{',
  ];

  it.each(hostile)('keeps %j a single literal phrase for the search engine', (text) => {
    const parsed = parseSosl(`FIND ${soslAnyOf([text])} IN PHONE FIELDS RETURNING Contact(Id)`);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.group).toBe('PHONE');
    expect(parsed.value.returning).toEqual([{ object: 'Contact', fields: ['Id'] }]);
    // One phrase node whose words are the literal's words, no wildcard among them.
    const node = parsed.value.search as SearchNode;
    expect(node.kind).toBe('words');
    if (node.kind !== 'words') return;
    expect(node.words.every((word) => word.kind === 'literal')).toBe(true);
    const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    expect(node.words.map((word) => (word.kind === 'literal' ? word.text : '?'))).toEqual(words);
    // It matches the text itself, and not text that only a wildcard or operator would have matched.
    if (words.length > 0) expect(satisfies(node, [text])).toBe(true);
    expect(satisfies(node, ['7700 900123 something else entirely'])).toBe(false);
  });

  it('the sandbox refuses the same texts unescaped, or reads them as operators', () => {
    expect(parseSosl('FIND {"} IN ALL FIELDS RETURNING User(Id) --"} IN PHONE FIELDS').ok).toBe(false);
    expect(parseSosl("FIND {x' OR Email} RETURNING Contact(Id)").ok).toBe(false);
    const wild = parseSosl('FIND {7*} IN PHONE FIELDS RETURNING Contact(Id)');
    expect(wild.ok && satisfies(wild.value.search, ['+44 7700 900123'])).toBe(true);
  });
});

describe('duplicate-rule refusals', () => {
  const refusal = (key: 'duplicateResult' | 'duplicateResut') => [
    {
      errorCode: 'DUPLICATES_DETECTED',
      message: "You're creating a duplicate record. We recommend you use an existing record instead.",
      [key]: {
        allowSave: false,
        matchResults: [
          {
            entityType: 'Contact',
            matchRecords: [
              { record: { attributes: { type: 'Contact' }, Id: '0038M0000016Wv8QAE' } },
              { record: { attributes: { type: 'Contact' }, Id: '0038M0000016Wv9QAE' } },
            ],
          },
          { entityType: 'Lead', matchRecords: [{ record: { Id: '00Q5g000777AAAAAAA' } }, { record: { Id: '0038M0000016Wv8QAE' } }] },
        ],
      },
    },
  ];

  it('reads the matching ids under either spelling of the key, once each', () => {
    for (const key of ['duplicateResult', 'duplicateResut'] as const) {
      expect(duplicateIdsIn(refusal(key))).toEqual(['0038M0000016Wv8QAE', '0038M0000016Wv9QAE', '00Q5g000777AAAAAAA']);
    }
    expect(duplicateIdsIn([{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]' }])).toBeUndefined();
    expect(duplicateIdsIn({ error: 'invalid_grant' })).toBeUndefined();
  });

  it('carries them through the error sentence and back', () => {
    const sentence = describeSalesforceError(refusal('duplicateResut'))!;
    expect(sentence).toBe(
      "DUPLICATES_DETECTED: You're creating a duplicate record. We recommend you use an existing record instead. (matching records: 0038M0000016Wv8QAE, 0038M0000016Wv9QAE, 00Q5g000777AAAAAAA)",
    );
    expect(duplicateIdsOf(sentence)).toEqual(['0038M0000016Wv8QAE', '0038M0000016Wv9QAE', '00Q5g000777AAAAAAA']);
    expect(describeSalesforceError([{ errorCode: 'MALFORMED_QUERY', message: 'bad' }])).toBeUndefined();
    expect(duplicateIdsOf('Session expired or invalid')).toBeUndefined();
    expect(duplicateIdsOf('DUPLICATES_DETECTED: Use one of these records?')).toEqual([]);
  });
});
