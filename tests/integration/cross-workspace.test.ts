// The app's own lookups never cross a workspace on the strength of one id, and people are found
// by the email they sign in with (issue 12, findings 4 and 9).
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { asService } from '@/lib/db/rls';
import { fieldMappings, mappingTemplates, workspaceMembers } from '@/lib/db/schema';
import { saveMapping } from '@/lib/mapping/editor';
import { activeMapping, installDefaultMappings } from '@/lib/mapping/store';
import { addMember } from '@/lib/workspaces/members';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import { createTestDatabase, createUser, testEngine, type TestDatabase } from '../support/database';
import { exampleResource } from '../support/providers';

let database: TestDatabase;
let adminOfA: SessionUser;
let adminOfB: SessionUser;
// A provider's resource mapped to contacts by default, and another resource of the same provider.
const example = exampleResource({ model: 'Contact', syncResources: 2 });
const provider = example.provider.id;
const otherResource = example.provider.resources.find((resource) => resource !== example.resource)!;
const a = { workspaceId: '', connectionId: crypto.randomUUID(), resource: example.resource };
const b = { workspaceId: '', connectionId: crypto.randomUUID(), resource: example.resource };
let templateOfA: string;
let templateOfB: string;
const definition = () => example.mapping;

async function seed(admin: SessionUser, target: typeof a, name: string): Promise<string> {
  target.workspaceId = (await createWorkspace(database.db, admin, name)).id;
  return asService(database.db, async (tx) => {
    await tx.execute(sql`insert into public.connections (id, workspace_id, provider, display_name, auth_kind, status)
      values (${target.connectionId}, ${target.workspaceId}, ${provider}, ${example.provider.name}, 'oauth2', 'active')`);
    await installDefaultMappings(tx, { workspaceId: target.workspaceId, connectionId: target.connectionId, provider, createdBy: admin.userId });
    const [template] = await tx
      .insert(mappingTemplates)
      .values({ workspaceId: target.workspaceId, provider, resource: example.resource, targetModel: 'Contact', name: `${name} template`, definition: definition() })
      .returning({ id: mappingTemplates.id });
    return template.id;
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  adminOfA = await createUser(database, 'admin-a');
  adminOfB = await createUser(database, 'admin-b');
  templateOfA = await seed(adminOfA, a, 'A');
  templateOfB = await seed(adminOfB, b, 'B');
});
afterAll(() => database?.drop());

describe(`workspace-scoped lookups (${testEngine})`, () => {
  it('loads the active mapping by workspace and connection, never by connection id alone', async () => {
    const [own, crossed] = await asService(database.db, async (tx) => [
      await activeMapping(tx, b),
      await activeMapping(tx, { ...b, workspaceId: a.workspaceId }),
    ]);
    expect(own?.version).toBe(1);
    expect(crossed).toBeNull();
  });

  it("refuses to save a mapping naming another workspace's template", async () => {
    const error = await saveMapping(database.db, adminOfA, a, { definition: definition(), templateId: templateOfB }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404 });
    const versions = await asService(database.db, (tx) =>
      tx.select({ templateId: fieldMappings.templateId }).from(fieldMappings).where(and(eq(fieldMappings.connectionId, a.connectionId), eq(fieldMappings.resource, example.resource))),
    );
    expect(versions.map((v) => v.templateId)).not.toContain(templateOfB);
    expect(versions, 'nothing saved').toHaveLength(1);
  });

  it("refuses a template of the workspace made for another resource, and accepts the workspace's own", async () => {
    const otherResourceTemplate = await asService(database.db, async (tx) => {
      const [row] = await tx
        .insert(mappingTemplates)
        .values({ workspaceId: a.workspaceId, provider, resource: otherResource, targetModel: 'Contact', name: 'Other resource', definition: definition() })
        .returning({ id: mappingTemplates.id });
      return row.id;
    });
    await expect(saveMapping(database.db, adminOfA, a, { definition: definition(), templateId: otherResourceTemplate })).rejects.toMatchObject({ status: 404 });
    const saved = await saveMapping(database.db, adminOfA, a, { definition: definition(), templateId: templateOfA });
    const [row] = await asService(database.db, (tx) =>
      tx
        .select({ templateId: fieldMappings.templateId })
        .from(fieldMappings)
        .where(and(eq(fieldMappings.connectionId, a.connectionId), eq(fieldMappings.version, saved.version))),
    );
    expect(row.templateId).toBe(templateOfA);
  });

  it('never lets a profile that claims an address stand in for its owner', async () => {
    const claimant = await createUser(database, 'claimant');
    const address = `not-signed-up-${crypto.randomUUID()}@example.test`;
    // What the API let anyone do before: point their own profile at someone else's address.
    await asService(database.db, (tx) => tx.execute(sql`update public.profiles set email = ${address} where id = ${claimant.userId}`));

    await addMember(database.db, adminOfA, a.workspaceId, { email: address, role: 'admin' });
    const members = await asService(database.db, (tx) =>
      tx.select({ userId: workspaceMembers.userId }).from(workspaceMembers).where(eq(workspaceMembers.workspaceId, a.workspaceId)),
    );
    expect(members.map((m) => m.userId)).not.toContain(claimant.userId);
  });
});
