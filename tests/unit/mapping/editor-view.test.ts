// describeMappingEditor: the field-mapping editor as the browser gets it, built from what was
// read (versions, sample, templates, the latest job) without a database.
import { describe, expect, it } from 'vitest';
import { analyzeMapping, modelFields, parseMapping, sourceFieldsOf, TRANSFORM_OPS, VALIDATION_RULES, type MappingDefinition } from '@/lib/mapping';
import { describeMappingEditor, type MappingEditorState } from '@/lib/mapping/editor';

const at = new Date('2026-11-01T10:00:00Z');
const contactMapping: MappingDefinition = { version: 1, model: 'Contact', rows: [{ id: 'e', target: 'email', source: 'properties.mail' }] };
const dealMapping: MappingDefinition = { version: 1, model: 'Deal', rows: [{ id: 'n', target: 'name', source: 'dealname' }] };
const version = (v: number, isActive: boolean, definition: unknown = contactMapping) => ({
  id: `m${v}`,
  version: v,
  isActive,
  definition,
  templateId: null,
  createdAt: at,
  createdByEmail: 'admin@example.com',
});

function state(overrides: Partial<MappingEditorState> = {}): MappingEditorState {
  return {
    connection: { id: 'c1', provider: 'hubspot', displayName: 'HubSpot (Acme)', status: 'active' },
    provider: { name: 'HubSpot' },
    resource: { id: 'contacts', label: 'Contacts' },
    fallback: dealMapping,
    versions: [version(2, true), version(1, false)],
    sample: [{ properties: { email: 'a@example.com' } }, { properties: { email: 'b@example.com' } }],
    templates: [{ id: 't1', name: 'Sales', createdAt: at }],
    job: undefined,
    canEdit: true,
    ...overrides,
  };
}

describe('describeMappingEditor', () => {
  it('describes the active mapping with its model, the versions, the fields seen and their warnings', () => {
    const input = state();
    const editor = describeMappingEditor(input);
    expect(editor.connection).toEqual({ id: 'c1', provider: 'hubspot', providerName: 'HubSpot', displayName: 'HubSpot (Acme)', status: 'active' });
    expect(editor.resource).toEqual({ id: 'contacts', label: 'Contacts' });
    expect(editor.model).toBe('Contact');
    expect(editor.modelFields).toEqual(modelFields('Contact'));
    expect(editor.canEdit).toBe(true);
    expect(editor.active).toEqual({ id: 'm2', version: 2, definition: contactMapping, templateId: null, createdAt: at, createdByEmail: 'admin@example.com' });
    expect(editor.versions).toEqual([
      { id: 'm2', version: 2, isActive: true, createdAt: at, createdByEmail: 'admin@example.com' },
      { id: 'm1', version: 1, isActive: false, createdAt: at, createdByEmail: 'admin@example.com' },
    ]);
    const sourceFields = sourceFieldsOf(input.sample);
    expect(editor.sourceFields).toEqual(sourceFields);
    expect(editor.sampleSize).toBe(2);
    // properties.mail was never seen in the sample: the warnings say so.
    expect(editor.warnings.length).toBeGreaterThan(0);
    const parsed = parseMapping(contactMapping);
    if (!parsed.ok) throw new Error('the test mapping must parse');
    expect(editor.warnings).toEqual(analyzeMapping(parsed.mapping, sourceFields));
    expect(editor.transformOps).toBe(TRANSFORM_OPS);
    expect(editor.validationRules).toBe(VALIDATION_RULES);
  });

  it('offers the provider default ahead of the workspace templates, and only when there is one', () => {
    expect(describeMappingEditor(state()).templates).toEqual([
      { id: 'default', name: 'HubSpot default', kind: 'default', createdAt: null },
      { id: 't1', name: 'Sales', createdAt: at, kind: 'workspace' },
    ]);
    expect(describeMappingEditor(state({ fallback: null })).templates).toEqual([{ id: 't1', name: 'Sales', createdAt: at, kind: 'workspace' }]);
  });

  it('without an active mapping: the default’s model, else Contact, and no warnings', () => {
    const inactive = [version(1, false)];
    const withDefault = describeMappingEditor(state({ versions: inactive }));
    expect(withDefault).toMatchObject({ active: null, model: 'Deal', warnings: [] });
    expect(describeMappingEditor(state({ versions: [], fallback: null }))).toMatchObject({ active: null, model: 'Contact', versions: [] });
  });

  it('falls back the same way when the active definition no longer parses', () => {
    const editor = describeMappingEditor(state({ versions: [version(3, true, { version: 1, model: 'Nope', rows: 'x' })] }));
    expect(editor.model).toBe('Deal');
    expect(editor.warnings).toEqual([]);
    expect(editor.active).toMatchObject({ id: 'm3', version: 3 });
  });

  it('reports the latest re-apply job, and who may edit', () => {
    const job = { id: 'j1', status: 'running' as const, total: 10, processed: 4, failed: 1, mappingVersion: 2, createdAt: at, finishedAt: null, error: null };
    const editor = describeMappingEditor(state({ job, canEdit: false }));
    expect(editor.job).toEqual(job);
    expect(editor.canEdit).toBe(false);
    expect(describeMappingEditor(state()).job).toBeNull();
  });

  it('describes an empty sample', () => {
    expect(describeMappingEditor(state({ sample: [] }))).toMatchObject({ sourceFields: [], sampleSize: 0 });
  });
});
