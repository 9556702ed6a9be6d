// The shared setup of tests that talk to providers: an in-process provider sandbox, a fresh
// database on the engine under test, and an admin account; the sandbox is reset before each test.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { SessionUser } from '@/lib/auth/session-token';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { createTestDatabase, createUser, type TestDatabase } from './database';

export interface SandboxSuite {
  database: TestDatabase;
  sandbox: Sandbox;
  admin: SessionUser;
}

export function sandboxSuite(): SandboxSuite {
  const suite = {} as SandboxSuite;
  beforeAll(async () => {
    suite.sandbox = await startSandbox({ port: 0 });
    process.env.PROVIDER_SANDBOX_URL = suite.sandbox.url;
    suite.database = await createTestDatabase();
    suite.admin = await createUser(suite.database, 'admin');
  });
  afterAll(async () => {
    await suite.database?.drop();
    await suite.sandbox?.close();
    delete process.env.PROVIDER_SANDBOX_URL;
  });
  beforeEach(() => {
    suite.sandbox.reset();
    suite.sandbox.knobs.autoApprove = true;
  });
  return suite;
}
