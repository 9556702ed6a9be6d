// npm run bench:push — pushes N contacts (default 50,000, the number) into each push
// destination the registry declares (a Mailchimp audience, an Airtable table), against the provider
// sandbox, and prints per destination: records/s, the write requests made against the minimum the
// batch size allows (ceil(N / batchSize)), the time against the lower bound the provider's rate
// limit sets (requests / requestsPerSecond), and the requests an unchanged re-push makes (must be 0).
// Targets: requests within 1% of the minimum, time within 20% of the bound.
//
// The source is seeded straight into synced_records as one CRM connection's stored contacts (COPY,
// mapped as a sync would have mapped them): the push is what is measured, not a pull. The sandbox
// runs in its own process; the database is an embedded PGlite in this one, as the app runs it.
//
//   npm run bench:push -- --records 5000 --only airtable
// Airtable writes 10 records a request at 5 requests/s: 50,000 records take 1,000 s by its rate
// limit alone, so --records and --only exist for a quicker look; the default is the full 50,000.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { createLocalAccount } from '../lib/auth/local-accounts';
import { suggestedRows } from '../lib/client/push-model';
import { withProviderClient } from '../lib/connections/provider-access';
import { openDatabase, rowsOf, type Database } from '../lib/db/engine';
import { migrate } from '../lib/db/migrate';
import { modelFields } from '../lib/mapping/model';
import { createPush } from '../lib/push/pushes';
import { PushRunner } from '../lib/push/runner';
import { requestPush } from '../lib/push/runs';
import { providers } from '../lib/providers/registry';
import type { ProviderDefinition, PushDestination, PushField } from '../lib/providers/types';
import { contentHash } from '../lib/sync/canonical';
import { createWorkspace } from '../lib/workspaces/workspaces';
import { connectAccount } from '../tests/support/connect';
import { DATA_KEYS } from '../tests/sandbox/server';
import { startSandboxProcess } from './processes';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const RECORDS = Number(argument('records') ?? process.env.BENCH_RECORDS ?? 50_000);
const ONLY = argument('only') ?? process.env.BENCH_ONLY;
if (!Number.isInteger(RECORDS) || RECORDS < 1) throw new Error('--records takes a positive whole number');
// The benchmark drives runs itself; connecting must not start a background runner as well.
process.env.JOB_RUNNER = 'none';

const MODEL = 'Contact';

/** The first registered provider with a syncing resource mapped to contacts and no push of its own: the source. */
function sourceProvider(): { provider: ProviderDefinition; resource: string } {
  for (const provider of providers) {
    if (provider.push) continue;
    const resource = Object.entries(provider.defaultMappings ?? {}).find(([, mapping]) => mapping.model === MODEL)?.[0];
    if (resource) return { provider, resource };
  }
  throw new Error('No registered provider syncs contacts');
}

/** The contacts as a sync would have stored them: raw, hashed, and mapped onto the model. */
function contactRows(workspaceId: string, connectionId: string, resource: string): string[] {
  const fields = new Set(modelFields(MODEL).map((f) => f.name));
  const csv = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const id = `bench-${String(i).padStart(7, '0')}`;
    const mapped: Record<string, unknown> = { email: `contact${i}@bench.example`, firstName: `Ada${i % 97}`, lastName: `Lovelace${i}` };
    if (fields.has('phone')) mapped.phone = `+4420${String(7_000_000 + i).padStart(8, '0')}`;
    for (const key of Object.keys(mapped)) if (!fields.has(key)) delete mapped[key];
    const raw = { id, ...mapped };
    lines.push([workspaceId, connectionId, resource, id, csv(JSON.stringify(raw)), contentHash(raw), csv(JSON.stringify(mapped)), '1'].join(','));
  }
  return lines;
}

async function seedSource(database: Database, workspaceId: string, connectionId: string, resource: string) {
  const lines = contactRows(workspaceId, connectionId, resource);
  const columns = ['workspace_id', 'connection_id', 'resource', 'external_id', 'raw', 'content_hash', 'mapped', 'mapping_version'];
  for (let i = 0; i < lines.length; i += 10_000) await database.copyCsv('public.synced_records', columns, `${lines.slice(i, i + 10_000).join('\n')}\n`);
}

/** The match field: the destination's fixed one, else a matchable email field, else the first matchable one. */
function matchFieldOf(destination: PushDestination, fields: readonly PushField[]): string {
  if (destination.matchKey.kind === 'fixed') return destination.matchKey.field;
  const matchable = fields.filter((f) => f.matchable);
  const chosen = matchable.find((f) => f.type === 'email') ?? matchable.find((f) => /e-?mail/i.test(f.name)) ?? matchable[0];
  if (!chosen) throw new Error(`${destination.label}: no matchable field`);
  return chosen.name;
}

interface Run {
  status: string;
  requests: number;
  recordsCreated: number;
  recordsUpdated: number;
  recordsUnchanged: number;
  recordsFailed: number;
}

async function runOnce(database: Database, runner: PushRunner, workspaceId: string, pushId: string) {
  const { runId } = await requestPush(database.db, { workspaceId, pushId, trigger: 'manual' });
  const started = process.hrtime.bigint();
  const outcome = await runner.runToEnd(runId);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [run] = rowsOf<Run>(
    await database.db.execute(sql`select status, requests, records_created as "recordsCreated", records_updated as "recordsUpdated",
      records_unchanged as "recordsUnchanged", records_failed as "recordsFailed" from public.sync_runs where id = ${runId}`),
  );
  if (outcome !== 'succeeded') throw new Error(`push run ${runId} ended ${outcome}`);
  return { seconds, run };
}

async function benchDestination(database: Database, sandboxUrl: string, provider: ProviderDefinition, destination: PushDestination) {
  const user = await createLocalAccount(database.db, { email: `bench-push-${provider.id}-${Date.now()}@example.test`, password: 'bench password 1' });
  const workspaceId = (await createWorkspace(database.db, user, 'Bench push')).id;
  const source = sourceProvider();
  const { connectionId: sourceId } = await connectAccount(database.db, user, workspaceId, source.provider.id);
  await seedSource(database, workspaceId, sourceId, source.resource);
  const { connectionId } = await connectAccount(database.db, user, workspaceId, provider.id);

  // The first target the destination offers, and its real fields, as the editor would show them.
  const { target, fields } = await withProviderClient(database.db, connectionId, async (client) => {
    const [first] = await destination.targets(client);
    if (!first) throw new Error(`${provider.name}: the sandbox account has no ${destination.label} target`);
    return { target: first, fields: await destination.fields(client, first.id) };
  });
  const matchField = matchFieldOf(destination, fields);
  const rows = suggestedRows(MODEL, fields.map((f) => ({ ...f, required: f.required ?? false, matchable: f.matchable ?? false, values: f.values ? [...f.values] : undefined })), matchField);
  if (!rows.some((row) => row.target === matchField)) rows.unshift({ id: 'row-key', source: 'email', target: matchField });
  // Through the route's own domain function: validated, the mapping checked against the target's real fields.
  const { id: pushId } = await createPush(database.db, user, { workspaceId, connectionId }, {
    name: `Bench ${provider.name}`,
    destination: destination.id,
    targetId: target.id,
    matchField,
    sourceModel: MODEL,
    sourceConnectionIds: [sourceId],
    filters: [],
    mapping: { version: 1, model: MODEL, rows },
    deletionPolicy: 'keep',
    schedule: 'manual',
    pushOnSourceChange: false,
  });

  const runner = new PushRunner(database.db);
  const first = await runOnce(database, runner, workspaceId, pushId);
  const again = await runOnce(database, runner, workspaceId, pushId);
  const minimum = Math.ceil(RECORDS / destination.batchSize);
  const bound = first.run.requests / destination.rateLimit.requestsPerSecond;
  const sent = first.run.recordsCreated + first.run.recordsUpdated;
  const held = await destinationCount(sandboxUrl, provider.id, target.id);
  const pct = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
  const requestsOff = (100 * (first.run.requests - minimum)) / minimum;
  const timeOff = (100 * (first.seconds - bound)) / bound;
  return {
    destination: `${provider.name} ${destination.label.toLowerCase()}`,
    records: RECORDS,
    sent,
    failed: first.run.recordsFailed,
    'at destination': held ?? '—',
    'records/s': Math.round(RECORDS / first.seconds),
    requests: first.run.requests,
    'minimum (N / batch)': `${minimum} (${destination.batchSize}/request)`,
    'vs minimum': `${pct(requestsOff)} ${Math.abs(requestsOff) <= 1 ? 'ok' : 'MISSED'}`,
    'time s': first.seconds.toFixed(1),
    'rate bound s': `${bound.toFixed(1)} (${destination.rateLimit.requestsPerSecond}/s)`,
    'vs bound': `${pct(timeOff)} ${timeOff <= 20 ? 'ok' : 'MISSED'}`,
    're-push requests': `${again.run.requests} ${again.run.requests === 0 ? 'ok' : 'MISSED'}`,
    're-push unchanged': again.run.recordsUnchanged,
  };
}

/**
 * What the sandbox holds in the target afterwards, read from its control API where the provider's
 * sandbox has a read-out of its targets (Mailchimp's audiences); elsewhere the run's own counts stand.
 */
const READOUTS: Record<string, (sandboxUrl: string, targetId: string) => Promise<number | null>> = {
  mailchimp: async (sandboxUrl, targetId) => {
    const response = await fetch(`${sandboxUrl}/_sandbox/webhooks/mailchimp-audiences`);
    const body = (await response.json()) as { accounts: { audiences: { id: string; total: number }[] }[] };
    return body.accounts.flatMap((a) => a.audiences).find((a) => a.id === targetId)?.total ?? null;
  },
};

const destinationCount = (sandboxUrl: string, providerId: string, targetId: string) => READOUTS[providerId]?.(sandboxUrl, targetId) ?? Promise.resolve(null);

async function main() {
  const destinations = providers.flatMap((provider) => (provider.push?.destinations ?? []).map((destination) => ({ provider, destination })));
  const chosen = destinations.filter(({ provider }) => !ONLY || ONLY.split(',').includes(provider.id));
  if (!chosen.length) throw new Error(`No push destination matches --only ${ONLY}; there are: ${destinations.map((d) => d.provider.id).join(', ')}`);
  const sandbox = await startSandboxProcess();
  process.env.PROVIDER_SANDBOX_URL = sandbox.url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-bench-push-'));
  const database = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
  const results = [];
  try {
    await migrate(database);
    // Empty sandbox datasets: the targets hold only what the push writes, and connecting syncs nothing.
    await fetch(`${sandbox.url}/_sandbox/knobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ autoApprove: true, dataset: Object.fromEntries(DATA_KEYS.map((key) => [key, 0])) }),
    });
    for (const { provider, destination } of chosen) {
      console.error(`pushing ${RECORDS.toLocaleString('en')} contacts into ${provider.name} (${destination.label})…`);
      results.push(await benchDestination(database, sandbox.url, provider, destination));
    }
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
    sandbox.child.kill('SIGTERM');
  }
  console.log(`\nPush benchmark: ${RECORDS.toLocaleString('en')} contacts per destination (${chosen.map((c) => c.provider.name).join(', ')}), PGlite, provider sandbox\n`);
  console.table(results);
  console.log('Targets: requests within 1% of the minimum, time within 20% of the rate-limit bound, 0 requests for an unchanged re-push.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
