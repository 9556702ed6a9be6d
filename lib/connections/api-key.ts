// Connecting a provider that authenticates with an API key: the fields are validated by the
// provider's own schemas, then tried against the provider, and only saved if the provider
// accepts them.
import { z } from 'zod';
import type { SessionUser } from '../auth/session-token';
import type { Db } from '../db/engine';
import { HttpError, notFound } from '../http/errors';
import { describeZodError } from '../http/route';
import { createProviderClient } from '../providers/client';
import { credentialsForNewConnection } from '../providers/credentials';
import { findProvider } from '../providers/registry';
import { startSync } from '../sync/jobs';
import { inWorkspace } from '../workspaces/access';
import { saveConnection } from './save-connection';
import { describeFailure } from './failures';

export const apiKeyConnectionSchema = z.object({
  provider: z.string({ error: 'provider is required' }).min(1).max(40),
  fields: z.record(z.string(), z.string({ error: 'each field must be text' }), { error: 'fields must be an object of text values' }),
});

export async function connectWithApiKey(db: Db, user: SessionUser, workspaceId: string, input: z.infer<typeof apiKeyConnectionSchema>) {
  const provider = findProvider(input.provider);
  if (!provider) throw notFound(`There is no provider called "${input.provider}".`);
  const settings = provider.auth.kind === 'api_key' ? provider.auth : provider.alternativeApiKey;
  if (!settings) throw new HttpError('bad_request', `${provider.name} connects with OAuth: use Connect in the catalog.`);
  await inWorkspace(db, user, workspaceId, 'admin', async () => undefined);

  const fieldsSchema = z.object(Object.fromEntries(settings.fields.map((f) => [f.name, f.schema])));
  const parsed = fieldsSchema.safeParse(input.fields);
  if (!parsed.success) throw new HttpError('validation_failed', describeZodError(parsed.error));
  const credentials = credentialsForNewConnection(provider, 'api_key');
  if (!credentials) throw new HttpError('provider_not_configured', `${provider.name} is not available on this server.`);
  const client = createProviderClient(provider, credentials, settings.toTokenSet(parsed.data as Record<string, string>));

  let identity;
  try {
    identity = await provider.identify(client);
  } catch (error) {
    throw new HttpError('credentials_rejected', `${provider.name} did not accept these credentials: ${describeFailure(error)}`);
  }
  const saved = await saveConnection(db, user, { provider, client, workspaceId, identity, authKind: 'api_key' });
  if (!saved.ok) throw new HttpError('conflict', saved.detail);
  await startSync(db, { workspaceId, connectionId: saved.connectionId, provider: provider.id, trigger: 'initial', mode: 'full', requestedBy: user.userId });
  return { connectionId: saved.connectionId, status: saved.status };
}
