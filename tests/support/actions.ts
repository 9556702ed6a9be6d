// The shared setup of a provider's action tests: a fresh workspace with a connection, and the two
// ways a test calls an action on it — through runAction (the path the /api/v1 routes, MCP and Try
// it share) as the suite's admin, or straight to the provider's handler with a real ProviderClient,
// as the runner would call it (no idempotency records, no write-through).
import { expect } from 'vitest';
import { ActionError } from '@/lib/actions/errors';
import type { ApiPrincipal } from '@/lib/actions/principal';
import { runAction, type ActionSuccess } from '@/lib/actions/run';
import { ACTIONS, type ActionInput, type ActionName } from '@/lib/actions/schemas';
import { withProviderClient } from '@/lib/connections/provider-access';
import type { ProblemDetails } from '@/lib/http/problem';
import type { ProviderActions, ProviderClient } from '@/lib/providers/types';
import { createWorkspace } from '@/lib/workspaces/workspaces';
import type { SandboxSuite } from './sandbox-suite';

export interface ActionConnection {
  workspaceId: string;
  connectionId: string;
  /** The suite's admin, allowed to read and write actions in the workspace. */
  principal: ApiPrincipal;
}

/** A fresh workspace named `name`, connected by `connect` (the test's way: OAuth, an API key…). */
export async function connectForActions(
  suite: SandboxSuite,
  name: string,
  connect: (workspaceId: string) => Promise<{ connectionId: string }>,
): Promise<ActionConnection> {
  const workspaceId = (await createWorkspace(suite.database.db, suite.admin, name)).id;
  const { connectionId } = await connect(workspaceId);
  const { userId, email } = suite.admin;
  return { workspaceId, connectionId, principal: { kind: 'user', workspaceId, scopes: ['actions:read', 'actions:write'], apiKeyId: null, userId, id: `user:${userId}`, label: email } };
}

/** runAction on a connection, and the two expectations on its answer. */
export function actionRunner(suite: SandboxSuite) {
  const run = (connection: ActionConnection, action: string, input: unknown, key?: string) =>
    runAction(suite.database.db, connection.principal, { connectionId: connection.connectionId, action, input, idempotencyKey: key });

  /** The action's output; fails with the problem when it did not succeed. */
  async function ok(connection: ActionConnection, action: string, input: unknown, key?: string): Promise<Record<string, any>> {
    const answer = await run(connection, action, input, key);
    expect(answer.ok, JSON.stringify(answer.body)).toBe(true);
    return (answer.body as ActionSuccess<Record<string, any>>).output;
  }

  /** The problem the action answered; fails unless it failed with `code`. */
  async function problem(connection: ActionConnection, action: string, input: unknown, key: string | undefined, code: string): Promise<ProblemDetails> {
    const answer = await run(connection, action, input, key);
    expect(answer.ok, JSON.stringify(answer.body)).toBe(false);
    expect((answer.body as ProblemDetails).code, JSON.stringify(answer.body)).toBe(code);
    return answer.body as ProblemDetails;
  }

  return { run, ok, problem };
}

/** What a test may write as an action's input (before the schema's defaults and coercions). */
export type RawActionInput<A extends ActionName> = Parameters<(typeof ACTIONS)[A]['input']['parse']>[0];

export interface HandlerFacts {
  key?: string;
  retry?: boolean;
  /** Wraps the connection's client (to hold, fail or count its requests). */
  wrap?: (client: ProviderClient) => ProviderClient;
}

/**
 * Runs one of `actions`' handlers as the runner would: validated input, a fresh client, the
 * request's facts, and a fixed `now` so the tests' dates stay in the future.
 */
export function handlerRunner(suite: SandboxSuite, actions: ProviderActions, now: Date) {
  return async function run<A extends ActionName>(connection: { connectionId: string }, action: A, input: RawActionInput<A>, facts: HandlerFacts = {}) {
    const handler = actions[action];
    if (!handler) throw new Error(`no ${action}`);
    const parsed = ACTIONS[action].input.parse(input) as ActionInput<A>;
    return withProviderClient(suite.database.db, connection.connectionId, (client: ProviderClient) =>
      handler({ client: facts.wrap ? facts.wrap(client) : client, idempotencyKey: facts.key ?? null, retry: facts.retry ?? false, defaultRegion: 'GB', now }, parsed),
    );
  };
}

/** What the promise rejected with; fails when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export async function expectActionError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await rejection(promise);
  expect(error, String(error)).toBeInstanceOf(ActionError);
  expect((error as ActionError).code).toBe(code);
}
