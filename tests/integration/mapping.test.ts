// Field mappings end to end against the sandbox, on a provider's resource mapped to contacts by
// default (tests/support/providers.ts): the default template on connect, the sync storing mapped
// output, saving a new version re-applying it to stored records without calling the provider,
// rollback, templates, save-time validation, and who may edit.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { asService } from '@/lib/db/rls';
import { activity, syncedRecords } from '@/lib/db/schema';
import { HttpError } from '@/lib/http/errors';
import { applyTemplate, getMappingEditor, previewMapping, rollbackMapping, saveMapping, saveTemplate } from '@/lib/mapping/editor';
import { applyMapping, compileMapping } from '@/lib/mapping';
import type { Mapping } from '@/lib/mapping/language';
import { getterFor } from '@/lib/mapping/paths';
import { reapplyNextBatch } from '@/lib/mapping/reapply';
import { SyncRunner } from '@/lib/sync/runner';
import { addMemberAndAccept as addMember } from '../support/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { exampleResource } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';
import { newRun } from '../support/sync';

const suite = sandboxSuite();

// A resource mapped to contacts by default (the first registered), and where its raw records keep
// what the default mapping reads.
const example = exampleResource({ model: 'Contact' });
const { provider } = example;
function sourceOf(target: string): string {
  const source = example.mapping.rows.find((row) => row.target === target)?.source;
  if (typeof source !== 'string') throw new Error(`${provider.id} ${example.resource}: the default mapping reads ${target} from no single path`);
  return source;
}
const lastNameOf = (raw: unknown) => getterFor(sourceOf('lastName'))(raw) as string;

/** A connection with `count` records of the resource (none of its others), fully synced. */
async function synced(count: number) {
  suite.sandbox.setKnobs({ dataset: provider.datasets({ [example.resource]: count }) });
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, `Mapping ${count}`)).id;
  const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, provider.id);
  const runId = await newRun(suite.database.db, { workspaceId, connectionId }, 'full');
  expect(await new SyncRunner(suite.database.db).runToEnd(runId)).toMatch(/succeeded|partial/);
  return { workspaceId, connectionId, resource: example.resource };
}

const records = (connectionId: string) =>
  asService(suite.database.db, (tx) =>
    tx.select().from(syncedRecords).where(and(eq(syncedRecords.connectionId, connectionId), eq(syncedRecords.resource, example.resource))),
  );

async function drain(jobId: string) {
  while ((await reapplyNextBatch(suite.database.db, jobId, 1_000)) === 'more');
}

/** The active mapping with the last-name row upper-cased. */
function upperLastNames(mapping: Mapping): Mapping {
  return {
    ...mapping,
    rows: mapping.rows.map((row) => (row.target === 'lastName' ? { ...row, transforms: [...(row.transforms ?? []), { op: 'upper' as const }] } : row)),
  };
}

describe(`field mappings (${testEngine})`, () => {
  it('maps synced records with the default template installed on connect', async () => {
    const target = await synced(40);
    const editor = await getMappingEditor(suite.database.db, suite.admin, target);
    expect(editor.active?.version).toBe(1);
    expect(editor.model).toBe('Contact');
    expect(editor.sourceFields.map((f) => f.path)).toEqual(expect.arrayContaining([sourceOf('firstName'), sourceOf('email')]));
    const compiled = compileMapping(example.mapping);
    const stored = await records(target.connectionId);
    expect(stored).toHaveLength(40);
    for (const record of stored) {
      expect(record.mappingVersion).toBe(1);
      expect(record.mapped).toEqual(applyMapping(compiled, record.raw).output);
      expect(record.mapped).toMatchObject({ lastName: lastNameOf(record.raw).trim() });
    }
  });

  it('re-applies a saved mapping to 10,000 stored records without calling the provider, and rolls back', async () => {
    const target = await synced(10_000);
    const before = await records(target.connectionId);
    const requestsBefore = suite.sandbox.stats().dataRequests[example.dataKey];
    const editor = await getMappingEditor(suite.database.db, suite.admin, target);

    const saved = await saveMapping(suite.database.db, suite.admin, target, { definition: upperLastNames(editor.active!.definition) });
    expect(saved.version).toBe(2);
    await drain(saved.jobId);
    const after = await records(target.connectionId);
    expect(after).toHaveLength(10_000);
    for (const record of after) {
      const lastName = lastNameOf(record.raw).trim();
      expect(record.mapped).toMatchObject({ lastName: lastName.toUpperCase() });
      expect(record.mappingVersion).toBe(2);
    }
    expect(suite.sandbox.stats().dataRequests[example.dataKey]).toBe(requestsBefore);
    const job = (await getMappingEditor(suite.database.db, suite.admin, target)).job!;
    expect(job).toMatchObject({ status: 'succeeded', total: 10_000, processed: 10_000, mappingVersion: 2 });

    const rolledBack = await rollbackMapping(suite.database.db, suite.admin, target, 1);
    expect(rolledBack.version).toBe(3);
    await drain(rolledBack.jobId);
    const restored = new Map((await records(target.connectionId)).map((r) => [r.id, r.mapped]));
    for (const record of before) expect(restored.get(record.id)).toEqual(record.mapped);
    const actions = await asService(suite.database.db, (tx) =>
      tx.select({ action: activity.action }).from(activity).where(eq(activity.workspaceId, target.workspaceId)),
    );
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['mapping.saved', 'mapping.rolled_back', 'mapping.reapplied']));
  });

  it('rejects a bad mapping at save time with every problem at its path, and previews drafts on stored records', async () => {
    const target = await synced(10);
    const editor = await getMappingEditor(suite.database.db, suite.admin, target);
    const bad = {
      ...editor.active!.definition,
      rows: [...editor.active!.definition.rows, { id: 'zone', target: 'notes', source: 'id', transforms: [{ op: 'formatDate', format: 'iso', timeZone: 'Mars/Base' }] }],
    };
    const error = await saveMapping(suite.database.db, suite.admin, target, { definition: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(422);
    expect((error as HttpError).code).toBe('invalid_mapping');
    expect(JSON.stringify((error as HttpError).details)).toContain('Mars/Base');

    const preview = await previewMapping(suite.database.db, suite.admin, target, upperLastNames(editor.active!.definition));
    expect(preview.results).toHaveLength(5);
    for (const result of preview.results) {
      expect(result.output.lastName).toBe(lastNameOf(result.raw).trim().toUpperCase());
    }
    expect((await getMappingEditor(suite.database.db, suite.admin, target)).active?.version).toBe(1);
  });

  it('saves a workspace template, applies it and resets to the default', async () => {
    const target = await synced(5);
    const editor = await getMappingEditor(suite.database.db, suite.admin, target);
    const saved = await saveMapping(suite.database.db, suite.admin, target, { definition: upperLastNames(editor.active!.definition) });
    await drain(saved.jobId);
    const { template } = await saveTemplate(suite.database.db, suite.admin, target, 'Upper-case surnames');
    await expect(saveTemplate(suite.database.db, suite.admin, target, 'Upper-case surnames')).rejects.toMatchObject({ status: 409 });

    const reset = await applyTemplate(suite.database.db, suite.admin, target, 'default');
    await drain(reset.jobId);
    const one = (await records(target.connectionId))[0];
    expect((one.mapped as { lastName: string }).lastName).toBe(lastNameOf(one.raw).trim());

    const applied = await applyTemplate(suite.database.db, suite.admin, target, template.id);
    await drain(applied.jobId);
    const again = await getMappingEditor(suite.database.db, suite.admin, target);
    expect(again.active).toMatchObject({ version: 4, templateId: template.id });
    expect(again.templates.map((t) => t.name)).toEqual([`${provider.name} default`, 'Upper-case surnames']);
  });

  it('lets viewers read the editor but not save', async () => {
    const target = await synced(5);
    const viewer = await createUser(suite.database, 'viewer');
    await addMember(suite.database.db, suite.admin, target.workspaceId, { email: viewer.email, role: 'viewer' });
    const editor = await getMappingEditor(suite.database.db, viewer, target);
    expect(editor.canEdit).toBe(false);
    await expect(saveMapping(suite.database.db, viewer, target, { definition: editor.active!.definition })).rejects.toMatchObject({ status: 403 });
    await expect(rollbackMapping(suite.database.db, viewer, target, 1)).rejects.toMatchObject({ status: 403 });
  });
});
