// Issue 12, item 1, through the editor: a viewer's preview and an admin's save both refuse the
// published regex bypass with a 422 at the pattern's path, and an accepted pattern (run on RE2)
// previews on stored records.
import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/http/errors';
import { getMappingEditor, previewMapping, saveMapping } from '@/lib/mapping/editor';
import type { Mapping } from '@/lib/mapping/language';
import { SyncRunner } from '@/lib/sync/runner';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { connectViaSandbox } from '../support/connect';
import { createUser, testEngine } from '../support/database';
import { addMemberAndAccept as addMember } from '../support/members';
import { getterFor } from '@/lib/mapping/paths';
import { exampleResource } from '../support/providers';
import { sandboxSuite } from '../support/sandbox-suite';
import { newRun } from '../support/sync';

const suite = sandboxSuite();

const BYPASS = '^(?:a+){0000000000000000000001,}$';
// A resource mapped to contacts by default, and where its raw records keep the last name.
const example = exampleResource({ model: 'Contact' });
const lastNameSource = example.mapping.rows.find((row) => row.target === 'lastName')?.source;
const lastNameOf = (raw: unknown) => getterFor(lastNameSource as string)(raw) as string;

/** The active mapping with one more regex step on the last-name row. */
function withLastNameRegex(mapping: Mapping, step: Record<string, unknown>, kind: 'transforms' | 'validations'): Mapping {
  return {
    ...mapping,
    rows: mapping.rows.map((row) => (row.target === 'lastName' ? { ...row, [kind]: [...(row[kind] ?? []), step] } : row)),
  } as Mapping;
}

describe(`user regexes in the mapping editor (${testEngine})`, () => {
  it('refuses the quantifier bypass in a viewer’s preview and an admin’s save; previews an accepted pattern on RE2', async () => {
    expect(typeof lastNameSource).toBe('string');
    suite.sandbox.setKnobs({ dataset: example.provider.datasets({ [example.resource]: 10 }) });
    const workspaceId = (await createWorkspace(suite.database.db, suite.admin, 'Regex')).id;
    const { connectionId } = await connectViaSandbox(suite.database.db, suite.admin, workspaceId, example.provider.id);
    const runId = await newRun(suite.database.db, { workspaceId, connectionId }, 'full');
    expect(await new SyncRunner(suite.database.db).runToEnd(runId)).toMatch(/succeeded|partial/);
    const target = { workspaceId, connectionId, resource: example.resource };
    const viewer = await createUser(suite.database, 'viewer');
    await addMember(suite.database.db, suite.admin, workspaceId, { email: viewer.email, role: 'viewer' });
    const active = (await getMappingEditor(suite.database.db, suite.admin, target)).active!.definition;

    const bypass = withLastNameRegex(active, { rule: 'regex', pattern: BYPASS }, 'validations');
    for (const attempt of [previewMapping(suite.database.db, viewer, target, bypass), saveMapping(suite.database.db, suite.admin, target, { definition: bypass })]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(422);
      expect((error as HttpError).code).toBe('invalid_mapping');
      expect(JSON.stringify((error as HttpError).details)).toMatch(/rows\[\d+\]\.validations\[\d+\]\.pattern.*at most 4 digits/);
    }

    // Vowels starred, via RE2, with a $ pattern: what String#replace would give.
    const starred = withLastNameRegex(active, { op: 'replace', find: '([aeiou])', with: '*$1*', regex: true, ignoreCase: true }, 'transforms');
    const started = performance.now();
    const preview = await previewMapping(suite.database.db, viewer, target, starred);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(preview.results.length).toBeGreaterThan(0);
    for (const result of preview.results) {
      const lastName = lastNameOf(result.raw).trim();
      expect(result.output.lastName).toBe(lastName.replace(/([aeiou])/giu, '*$1*'));
    }
  }, 120_000);
});
