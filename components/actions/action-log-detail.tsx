import { formatDateTime } from '@/lib/client/format';
import { formatMs, type ActionLogEntry } from '@/lib/client/actions';
import { DetailFacts } from '@/components/ui/detail-facts';
import { CodeBlock } from '@/components/ui/code-block';

const pre =
  'max-h-96 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';
const heading = 'mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400';

export function actorLabel(actor: ActionLogEntry['actor']): string {
  if (actor.type === 'user') return actor.email ?? 'A person (signed in)';
  if (actor.name) return `API key “${actor.name}”${actor.prefix ? ` (${actor.prefix}…)` : ''}`;
  return 'An API key';
}

/** One call as logged: what was sent and answered (redacted as stored), and how it went. */
export function ActionLogDetail({ entry, connectionName }: { entry: ActionLogEntry; connectionName: string | null }) {
  const facts: [string, string][] = [
    ['When', formatDateTime(entry.createdAt)],
    ['Answer', `HTTP ${entry.httpStatus}${entry.code ? ` · ${entry.code}` : ''}`],
    ['Connection', connectionName ?? entry.connectionId ?? 'none (refused before a connection was found)'],
    ['Called by', actorLabel(entry.actor)],
    ['Latency', formatMs(entry.latencyMs)],
    ['Provider requests', String(entry.providerRequests)],
    ['Idempotency key', entry.idempotencyKey ?? '—'],
    ['Replayed', entry.replayed ? 'Yes: answered from the stored result of an earlier call with this key' : 'No'],
  ];
  if (entry.retried) facts.push(['Retried', 'Took over the key of an attempt that did not finish']);
  if (entry.error) facts.push(['Error', entry.error]);
  facts.push(['Log id', entry.id]);

  return (
    <div className="w-0 min-w-full space-y-4">
      <DetailFacts facts={facts} />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="min-w-0">
          <h3 className={heading}>Input</h3>
          <CodeBlock className={pre} label="Input JSON">
            {JSON.stringify(entry.input, null, 2)}
          </CodeBlock>
        </div>
        <div className="min-w-0">
          <h3 className={heading}>Output</h3>
          {entry.output === null ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{entry.status === 'failed' ? 'None: the call failed.' : 'None.'}</p>
          ) : (
            <CodeBlock className={pre} label="Output JSON">
              {JSON.stringify(entry.output, null, 2)}
            </CodeBlock>
          )}
        </div>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Inputs and outputs are stored with secrets redacted, as they are shown here.</p>
    </div>
  );
}
