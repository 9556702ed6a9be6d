// The push screens' pure helpers: the starting mapping a new push suggests from the destination's
// real fields, and the model's fields described as sources from sampled records.
import { describe, expect, it } from 'vitest';
import type { PushFieldView } from '@/lib/client/push';
import { modelSourceFields, suggestedRows } from '@/lib/client/push-model';
import { parseMapping } from '@/lib/mapping/language';

const field = (name: string, label: string, type = 'string', extra: Partial<PushFieldView> = {}): PushFieldView => ({
  name,
  label,
  type,
  required: false,
  matchable: false,
  ...extra,
});

describe('suggestedRows', () => {
  it('fills a fixed email match field from the model email and merge tags by name, label or alias', () => {
    const fields = [
      field('EMAIL', 'Email address', 'email', { required: true, matchable: true }),
      field('FNAME', 'First Name'),
      field('LNAME', 'Last Name'),
      field('ADDRESS', 'Address', 'unknown'),
    ];
    expect(suggestedRows('Contact', fields, 'EMAIL').map(({ source, target }) => ({ source, target }))).toEqual([
      { source: 'email', target: 'EMAIL' },
      { source: 'firstName', target: 'FNAME' },
      { source: 'lastName', target: 'LNAME' },
    ]);
  });

  it('matches table columns by their label, never maps one target twice, and gives rows distinct ids', () => {
    const fields = [field('Email', 'Email', 'email', { matchable: true }), field('First name', 'First name'), field('first_name', 'first name'), field('Favourite colour', 'Favourite colour')];
    const rows = suggestedRows('Contact', fields, 'Email');
    expect(rows.map((r) => r.target)).toEqual(['Email', 'First name', 'first_name']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.source !== '')).toBe(true);
  });

  it('suggests a mapping the mapping language accepts against the destination fields', () => {
    const fields = [field('EMAIL', 'Email address', 'email', { required: true, matchable: true }), field('FNAME', 'First Name')];
    const rows = suggestedRows('Contact', fields, 'EMAIL');
    const parsed = parseMapping(
      { version: 1, model: 'Contact', rows },
      { describe: 'audience', fields: fields.map((f) => ({ name: f.name, label: f.label, type: f.type as 'string' | 'email', required: f.required })) },
    );
    expect(parsed.ok).toBe(true);
  });
});

describe('modelSourceFields', () => {
  it('counts how many sampled records have each model field, with one scalar value seen', () => {
    const sample = [{ mapped: { email: 'ada@example.com', firstName: 'Ada' } }, { mapped: { email: 'bob@example.com', firstName: '' } }, { mapped: null }];
    const fields = modelSourceFields('Contact', sample);
    expect(fields.find((f) => f.path === 'email')).toEqual({ path: 'email', types: ['string'], count: 2, sample: 'ada@example.com' });
    // An empty string is not a value seen.
    expect(fields.find((f) => f.path === 'firstName')).toMatchObject({ count: 1, sample: 'Ada' });
    expect(fields.find((f) => f.path === 'lastName')).toMatchObject({ count: 0, sample: undefined, types: ['string'] });
  });
});
