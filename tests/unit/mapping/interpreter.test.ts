// The interpreter end to end: source forms, row order of operations, coercion to the field type,
// every validation, model requirements, and per-field errors.
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, failed, InvalidMappingError, type MappingDefinition } from '@/lib/mapping';
import { LIMITS, OUTPUT_LIMITS } from '@/lib/mapping/limits';

type Row = MappingDefinition['rows'][number];
const contact = (...rows: Row[]): MappingDefinition => ({ version: 1, model: 'Contact', rows: [{ id: 'email', target: 'email', source: 'email' }, ...rows] });
const deal = (...rows: Row[]): MappingDefinition => ({ version: 1, model: 'Deal', rows: [{ id: 'name', target: 'name', source: { const: 'Deal' } }, ...rows] });
const map = (mapping: MappingDefinition, record: unknown) => applyMapping(compileMapping(mapping), record);
const base = { email: 'ada@example.com' };

describe('compileMapping', () => {
  it('refuses an invalid mapping with the parse issues', () => {
    const bad = { version: 1, model: 'Contact', rows: [{ id: 'a', target: 'email', source: '__proto__' }] } as unknown as MappingDefinition;
    expect(() => compileMapping(bad)).toThrow(InvalidMappingError);
    expect(() => compileMapping(bad)).toThrow(/rows\[0\]\.source: "__proto__" is not allowed in a path/);
  });
});

describe('sources', () => {
  it('reads a path, the first non-empty of several, several joined, or a constant', () => {
    const mapping = contact(
      { id: 'f', target: 'firstName', source: 'name.first' },
      { id: 'l', target: 'lastName', source: { coalesce: ['name.last', 'surname', 'family'] } },
      { id: 'n', target: 'fullName', source: { concat: ['name.first', 'name.middle', 'surname'], separator: ' ' } },
      { id: 'c', target: 'company', source: { const: 'Acme' } },
    );
    const { output, errors } = map(mapping, { ...base, name: { first: 'Ada', last: '', middle: null }, surname: 'Lovelace' });
    expect(errors).toEqual([]);
    expect(output).toEqual({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', fullName: 'Ada Lovelace', company: 'Acme' });
  });
});

describe('order of operations', () => {
  it('transforms run in order, then the row default fills an empty result, then coercion and validations', () => {
    const mapping = deal(
      { id: 'a', target: 'amount', source: 'amount', transforms: [{ op: 'replace', find: '£', with: '' }, { op: 'toNumber' }], validations: [{ rule: 'min', value: 0 }] },
      { id: 's', target: 'stage', source: 'stage', transforms: [{ op: 'trim' }], default: 'new' },
      { id: 'p', target: 'probability', source: 'probability', default: 10 },
    );
    expect(map(mapping, { amount: '£1,250.50', stage: '   ', probability: '40' }).output).toEqual({ name: 'Deal', amount: 1250.5, stage: 'new', probability: 40 });
    const negative = map(mapping, { amount: '-£5' });
    expect(negative.errors).toEqual([{ target: 'amount', code: 'min', message: '-5 must be at least 0' }]);
    expect(negative.output).toEqual({ name: 'Deal', stage: 'new', probability: 10 });
  });

  it('a failing transform stops its row only, with the transform’s own error', () => {
    const mapping = deal(
      { id: 'a', target: 'amount', source: 'amount', transforms: [{ op: 'toNumber' }, { op: 'default', value: 0 }] },
      { id: 's', target: 'stage', source: 'stage' },
    );
    const result = map(mapping, { amount: 'lots', stage: 'won' });
    expect(result.errors).toEqual([{ target: 'amount', code: 'number', message: 'toNumber: "lots" is not a number' }]);
    expect(result.output).toEqual({ name: 'Deal', stage: 'won' });
    expect(failed(result)).toBe(true);
  });
});

describe('coercion to the field type', () => {
  it('treats an empty text as an empty list, not a list holding an empty name', () => {
    const mapping = compileMapping({ version: 1, model: 'Appointment', rows: [{ id: 'a', target: 'attendees', source: 'missing', default: '' }] });
    const result = applyMapping(mapping, [[]]);
    expect(result.output).not.toHaveProperty('attendees');
    expect(result.errors.map((e) => e.target)).not.toContain('attendees');
  });

  it('converts representations: numbers from text, dates to ISO, booleans from words, lists from scalars', () => {
    const mapping = deal(
      { id: 'a', target: 'amount', source: 'amount' },
      { id: 'p', target: 'probability', source: 'probability' },
      { id: 'c', target: 'closeDate', source: 'close' },
      { id: 'u', target: 'updatedAt', source: 'updated' },
      { id: 'k', target: 'createdAt', source: 'created' },
      { id: 's', target: 'stage', source: 'stage' },
    );
    const { output, errors } = map(mapping, {
      amount: ' 1250.5 ',
      probability: 40,
      close: '2026-05-01T23:30:00-02:00',
      updated: '2026-11-01T10:00:00.000+0000',
      created: 1767225600000,
      stage: 3,
    });
    expect(errors).toEqual([]);
    expect(output).toEqual({
      name: 'Deal',
      amount: 1250.5,
      probability: 40,
      closeDate: '2026-05-02',
      updatedAt: '2026-11-01T10:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      stage: '3',
    });
  });

  it('booleans, enums, integers and lists', () => {
    const contactRows = contact(
      { id: 'o', target: 'emailOptOut', source: 'optOut' },
      { id: 'l', target: 'lifecycleStage', source: 'stage' },
    );
    expect(map(contactRows, { ...base, optOut: 'TRUE', stage: 'lead' }).output).toMatchObject({ emailOptOut: true, lifecycleStage: 'lead' });
    expect(map(contactRows, { ...base, optOut: 0 }).output).toMatchObject({ emailOptOut: false });
    const appointment: MappingDefinition = {
      version: 1,
      model: 'Appointment',
      rows: [
        { id: 't', target: 'title', source: 'title' },
        { id: 's', target: 'startsAt', source: 'start' },
        { id: 'd', target: 'durationMinutes', source: 'minutes' },
        { id: 'a', target: 'attendees', source: 'attendees' },
      ],
    };
    const good = map(appointment, { title: 'Cut', start: '2026-07-01', minutes: '45', attendees: ['a@example.com', null, '', 'b@example.com'] });
    expect(good).toEqual({
      output: { title: 'Cut', startsAt: '2026-07-01T00:00:00.000Z', durationMinutes: 45, attendees: ['a@example.com', 'b@example.com'] },
      errors: [],
    });
    expect(map(appointment, { title: 'Cut', start: '2026-07-01', attendees: 'solo@example.com' }).output.attendees).toEqual(['solo@example.com']);
  });

  it('reports a type error when the value cannot become the field type', () => {
    const mapping = contact(
      { id: 'p', target: 'phone', source: 'phone' },
      { id: 'l', target: 'lifecycleStage', source: 'stage' },
      { id: 'o', target: 'emailOptOut', source: 'optOut' },
      { id: 'n', target: 'notes', source: 'notes' },
      { id: 'c', target: 'createdAt', source: 'created' },
      { id: 'f', target: 'firstName', source: 'first' },
    );
    const { output, errors } = map(mapping, {
      email: 'not an email',
      phone: '07700 900123',
      stage: 'marketingqualifiedlead',
      optOut: 'maybe',
      notes: { text: 'hi' },
      created: 'last tuesday',
      first: 'x'.repeat(OUTPUT_LIMITS.string + 1),
    });
    expect(output).toEqual({});
    expect(errors.map((e) => [e.target, e.code])).toEqual([
      ['email', 'type'],
      ['phone', 'type'],
      ['lifecycleStage', 'type'],
      ['emailOptOut', 'type'],
      ['notes', 'type'],
      ['createdAt', 'type'],
      ['firstName', 'too_long'],
    ]);
    expect(errors.find((e) => e.target === 'phone')?.message).toMatch(/add phoneE164 with a default country/);
    expect(errors.find((e) => e.target === 'lifecycleStage')?.message).toMatch(/is not one of: subscriber, lead/);
    expect(errors.find((e) => e.target === 'notes')?.message).toBe('an object is not text');
  });

  it('integers must be whole, lists of objects are not lists of text', () => {
    const appointment: MappingDefinition = {
      version: 1,
      model: 'Appointment',
      rows: [
        { id: 't', target: 'title', source: { const: 'x' } },
        { id: 's', target: 'startsAt', source: { const: '2026-07-01T10:00:00Z' } },
        { id: 'd', target: 'durationMinutes', source: 'minutes' },
        { id: 'a', target: 'attendees', source: 'attendees' },
      ],
    };
    const { errors } = map(appointment, { minutes: 45.5, attendees: [{ email: 'a@example.com' }] });
    expect(errors.map((e) => [e.target, e.code])).toEqual([
      ['durationMinutes', 'type'],
      ['attendees', 'type'],
    ]);
  });
});

describe('validations', () => {
  const check = (target: string, validations: Row['validations'], value: unknown, model: 'Contact' | 'Deal' = 'Contact') => {
    const row: Row = { id: 'v', target, source: 'value', validations };
    const mapping = model === 'Contact' ? contact(row) : deal(row);
    return map(mapping, { ...base, value }).errors;
  };

  it('required: an empty result is an error only when required', () => {
    expect(check('notes', [{ rule: 'required' }], '')).toEqual([{ target: 'notes', code: 'required', message: 'notes is required' }]);
    expect(check('notes', [{ rule: 'required' }], null)[0].code).toBe('required');
    expect(check('notes', [{ rule: 'required', message: 'Notes please' }], 'x')).toEqual([]);
    expect(check('notes', [], undefined)).toEqual([]);
  });

  it('type: the value must be able to become another type', () => {
    expect(check('notes', [{ rule: 'type', type: 'number' }], '42')).toEqual([]);
    expect(check('notes', [{ rule: 'type', type: 'number' }], 'forty')).toEqual([{ target: 'notes', code: 'type', message: '"forty" is not a valid number' }]);
    expect(check('notes', [{ rule: 'type', type: 'date' }], '2026-01-01')).toEqual([]);
    expect(check('notes', [{ rule: 'type', type: 'email', message: 'need an email' }], 'nope')).toEqual([{ target: 'notes', code: 'type', message: 'need an email' }]);
  });

  it('email and phone', () => {
    expect(check('notes', [{ rule: 'email' }], 'ada@example.com')).toEqual([]);
    expect(check('notes', [{ rule: 'email' }], 'ada@')[0]).toMatchObject({ code: 'email', message: '"ada@" is not an email address' });
    expect(check('notes', [{ rule: 'phone', defaultCountry: 'GB' }], '07700 900123')).toEqual([]);
    expect(check('notes', [{ rule: 'phone' }], '07700 900123')[0].code).toBe('phone');
    expect(check('notes', [{ rule: 'phone' }], '+44 7700 900123')).toEqual([]);
  });

  it('regex: matches on text, capped input, custom message', () => {
    expect(check('notes', [{ rule: 'regex', pattern: '^[A-Z]{2}\\d{4}$' }], 'AB1234')).toEqual([]);
    expect(check('notes', [{ rule: 'regex', pattern: '^[A-Z]{2}\\d{4}$' }], 'ab1234')[0]).toMatchObject({ code: 'regex', message: '"ab1234" does not match ^[A-Z]{2}\\d{4}$' });
    expect(check('notes', [{ rule: 'regex', pattern: '^[a-z]{2}\\d{4}$', ignoreCase: true }], 'AB1234')).toEqual([]);
    expect(check('notes', [{ rule: 'regex', pattern: '^x', message: 'Must start with x' }], 'y')[0].message).toBe('Must start with x');
    expect(check('notes', [{ rule: 'regex', pattern: 'a' }], 'a'.repeat(LIMITS.regexInput + 1))[0].code).toBe('too_long');
  });

  it('enum: the value must be listed', () => {
    expect(check('stage', [{ rule: 'enum', values: ['open', 'won', 3] }], 'won', 'Deal')).toEqual([]);
    expect(check('stage', [{ rule: 'enum', values: ['open', 'won', 3] }], 3, 'Deal')).toEqual([]);
    expect(check('stage', [{ rule: 'enum', values: ['open', 'won'] }], 'lost', 'Deal')[0]).toMatchObject({ code: 'enum', message: '"lost" is not an allowed value' });
  });

  it('min and max: numbers by value, text by length, dates by date', () => {
    expect(check('probability', [{ rule: 'min', value: 0 }, { rule: 'max', value: 100 }], 50, 'Deal')).toEqual([]);
    expect(check('probability', [{ rule: 'max', value: 100 }], 101, 'Deal')[0]).toMatchObject({ code: 'max', message: '101 must be at most 100' });
    expect(check('notes', [{ rule: 'min', value: 3 }], 'ab')[0]).toMatchObject({ code: 'min', message: '"ab" must be length at least 3' });
    expect(check('notes', [{ rule: 'max', value: 3 }], 'abc')).toEqual([]);
    expect(check('closeDate', [{ rule: 'min', value: '2026-01-01' }], '2025-12-31', 'Deal')[0].code).toBe('min');
    expect(check('closeDate', [{ rule: 'min', value: '2026-01-01' }], '2026-01-01', 'Deal')).toEqual([]);
    expect(check('closeDate', [{ rule: 'max', value: '2026-06-30T12:00:00Z' }], '2026-07-01', 'Deal')[0].code).toBe('max');
  });

  it('only the first failing validation of a row is reported', () => {
    expect(check('notes', [{ rule: 'min', value: 5 }, { rule: 'regex', pattern: '^z' }], 'abc').map((e) => e.code)).toEqual(['min']);
  });
});

describe('model requirements', () => {
  it('required model fields that end up empty are errors, once', () => {
    const appointment: MappingDefinition = {
      version: 1,
      model: 'Appointment',
      rows: [
        { id: 't', target: 'title', source: 'title' },
        { id: 's', target: 'startsAt', source: 'start' },
      ],
    };
    expect(map(appointment, { title: 'Cut' }).errors).toEqual([{ target: 'startsAt', code: 'required', message: 'Appointment needs startsAt' }]);
    expect(map(appointment, { title: 'Cut', start: 'soon' }).errors.map((e) => e.code)).toEqual(['type']);
  });

  it('a contact needs an email or a phone, unless one of them already failed', () => {
    const mapping: MappingDefinition = {
      version: 1,
      model: 'Contact',
      rows: [
        { id: 'e', target: 'email', source: 'email' },
        { id: 'p', target: 'phone', source: 'phone' },
      ],
    };
    expect(map(mapping, { phone: '+447700900123' }).errors).toEqual([]);
    expect(map(mapping, {}).errors).toEqual([{ target: 'email|phone', code: 'required', message: 'Contact needs one of email, phone' }]);
    expect(map(mapping, { email: 'nope' }).errors.map((e) => e.target)).toEqual(['email']);
  });
});

describe('robustness', () => {
  it('maps non-object records to empty output with errors instead of throwing', () => {
    const mapping = contact({ id: 'f', target: 'firstName', source: 'a.b[0].c' });
    for (const record of [null, undefined, 42, 'text', [], [1, 2], true]) {
      const { output, errors } = map(mapping, record);
      expect(output).toEqual({});
      expect(errors.map((e) => e.code)).toEqual(['required']);
    }
  });

  it('a record whose getters throw gives a per-field error, not an exception', () => {
    const mapping = contact({ id: 'f', target: 'firstName', source: 'first' });
    const record = Object.defineProperty({ email: 'ada@example.com' }, 'first', {
      get() {
        throw new Error('boom');
      },
      enumerable: true,
    });
    expect(map(mapping, record)).toEqual({ output: { email: 'ada@example.com' }, errors: [{ target: 'firstName', code: 'internal', message: 'the value could not be mapped' }] });
  });

  it('output holds only known fields on an ordinary prototype, whatever the record carries', () => {
    const record = JSON.parse('{"email": "ada@example.com", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    const mapping = contact({ id: 'n', target: 'notes', source: 'email' });
    const { output } = map(mapping, record);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toEqual(['email', 'notes']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
