// sourceFieldsOf (what the source picker offers) and analyzeMapping (the editor's warnings).
import { describe, expect, it } from 'vitest';
import { analyzeMapping, parseMapping, sourceFieldsOf, type Mapping, type MappingDefinition } from '@/lib/mapping';

const records = [
  { id: '1', properties: { firstname: 'Ada', phone: '+44 7700 900001', score: 3 }, attendees: [{ email: 'a@example.com' }], tags: ['x'], archived: false },
  { id: '2', properties: { firstname: 'Grace', phone: null }, attendees: [{ email: 'b@example.com' }, { email: 'c@example.com', optional: true }], archived: true },
  { id: '3', properties: { firstname: 'Alan', score: '7' }, attendees: [] },
];

describe('sourceFieldsOf', () => {
  it('lists every path with its JSON types and how many records had it; array items under [0]', () => {
    const fields = sourceFieldsOf(records);
    const byPath = Object.fromEntries(fields.map((f) => [f.path, f]));
    expect(byPath['id']).toEqual({ path: 'id', types: ['string'], count: 3, sample: '1' });
    expect(byPath['properties']).toMatchObject({ types: ['object'], count: 3 });
    expect(byPath['properties.firstname']).toMatchObject({ types: ['string'], count: 3, sample: 'Ada' });
    expect(byPath['properties.phone']).toMatchObject({ types: ['string', 'null'], count: 2 });
    expect(byPath['properties.score']).toMatchObject({ types: ['number', 'string'], count: 2 });
    expect(byPath['attendees']).toMatchObject({ types: ['array'], count: 3 });
    expect(byPath['attendees[0].email']).toMatchObject({ types: ['string'], count: 2 });
    expect(byPath['attendees[0].optional']).toMatchObject({ types: ['boolean'], count: 1 });
    expect(byPath['tags[0]']).toMatchObject({ types: ['string'], count: 1 });
    expect(byPath['archived']).toMatchObject({ types: ['boolean'], count: 2 });
  });

  it('respects maxDepth and maxFields, skips keys a path cannot name, and shortens samples', () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(sourceFieldsOf([deep], { maxDepth: 2 }).map((f) => f.path)).toEqual(['a', 'a.b']);
    expect(sourceFieldsOf(records, { maxFields: 3 }).map((f) => f.path)).toEqual(['id', 'properties', 'properties.firstname']);
    const odd = JSON.parse('{"__proto__": {"x": 1}, "with space": 1, "ok": "y", "long": "' + 'z'.repeat(200) + '"}');
    const fields = sourceFieldsOf([odd]);
    expect(fields.map((f) => f.path)).toEqual(['ok', 'long']);
    expect(String(fields[1].sample)).toHaveLength(81);
  });

  it('copes with non-object records and huge arrays', () => {
    expect(sourceFieldsOf([null, 3, 'x', [{ a: 1 }]])).toEqual([
      { path: '[0]', types: ['object'], count: 1 },
      { path: '[0].a', types: ['number'], count: 1, sample: 1 },
    ]);
    const big = { items: Array.from({ length: 100_000 }, (_, i) => ({ n: i })) };
    expect(sourceFieldsOf([big]).find((f) => f.path === 'items[0].n')).toMatchObject({ count: 1, sample: 0 });
  });
});

function parsed(definition: MappingDefinition): Mapping {
  const result = parseMapping(definition);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.mapping;
}

describe('analyzeMapping', () => {
  const fields = sourceFieldsOf(records);

  it('warns about required fields nobody maps', () => {
    const warnings = analyzeMapping(parsed({ version: 1, model: 'Appointment', rows: [{ id: 't', target: 'title', source: 'id' }] }), fields);
    expect(warnings).toContainEqual({ code: 'unmapped_required', target: 'startsAt', message: 'Starts at (startsAt) is required by Appointment but no row maps it' });
    const contact = analyzeMapping(parsed({ version: 1, model: 'Contact', rows: [{ id: 'f', target: 'firstName', source: 'properties.firstname' }] }), fields);
    expect(contact).toEqual([{ code: 'unmapped_required', target: 'email|phone', message: 'Contact needs one of email, phone, and no row maps any of them' }]);
  });

  it('warns about sources not seen in recent records (coalesce only when every alternative is missing)', () => {
    const mapping = parsed({
      version: 1,
      model: 'Contact',
      rows: [
        { id: 'e', target: 'email', source: 'properties.email' },
        { id: 'p', target: 'phone', source: { coalesce: ['properties.mobile', 'properties.phone'] } },
        { id: 'f', target: 'fullName', source: { concat: ['properties.firstname', 'properties.lastname'] } },
        { id: 'a', target: 'notes', source: 'attendees[3].email' },
      ],
    });
    const warnings = analyzeMapping(mapping, fields);
    expect(warnings.filter((w) => w.code === 'missing_source')).toEqual([
      { code: 'missing_source', row: 0, rowId: 'e', target: 'email', path: 'properties.email', message: '"properties.email" does not appear in the recently synced records' },
      { code: 'missing_source', row: 2, rowId: 'f', target: 'fullName', path: 'properties.lastname', message: expect.any(String) },
    ]);
  });

  it('warns when the source’s type cannot become the target’s, after the transforms', () => {
    const mapping = parsed({
      version: 1,
      model: 'Contact',
      rows: [
        { id: 'e', target: 'email', source: 'properties' },
        { id: 'p', target: 'phone', source: 'properties.score' },
        { id: 'o', target: 'emailOptOut', source: 'archived' },
        { id: 'n', target: 'notes', source: 'tags' },
        { id: 'j', target: 'jobTitle', source: 'tags', transforms: [{ op: 'join' }] },
        { id: 'c', target: 'company', source: 'attendees', transforms: [{ op: 'pick', item: 'first' }] },
      ],
    });
    const mismatches = analyzeMapping(mapping, fields).filter((w) => w.code === 'type_mismatch');
    expect(mismatches.map((w) => [w.target, w.message])).toEqual([
      ['email', 'email is an email field, but its source is an object in recent records'],
      ['phone', 'phone is a phone field, but its source is a number in recent records'],
      ['notes', 'notes is a string field, but its source is a list in recent records'],
    ]);
  });

  it('says once that nothing can be checked when there are no records yet', () => {
    const mapping = parsed({ version: 1, model: 'Contact', rows: [{ id: 'e', target: 'email', source: 'x' }] });
    expect(analyzeMapping(mapping, [])).toEqual([{ code: 'no_sample', message: expect.stringMatching(/No records/) }]);
  });
});
