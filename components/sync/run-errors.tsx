import { CodeBlock } from '@/components/ui/code-block';

/** A per-record error as the engine may store it; anything else is shown as JSON. */
function describeItem(item: unknown): { id?: string; message: string } | null {
  if (!item || typeof item !== 'object') return null;
  const record = item as Record<string, unknown>;
  const message = record.message ?? record.error ?? record.reason;
  if (typeof message !== 'string') return null;
  const id = record.externalId ?? record.id;
  return { id: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined, message };
}

const pre =
  'overflow-x-auto rounded-lg bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';

export function RunErrors({ details }: { details: unknown }) {
  const empty =
    details === null ||
    details === undefined ||
    (Array.isArray(details) && details.length === 0) ||
    (typeof details === 'object' && !Array.isArray(details) && Object.keys(details).length === 0);
  if (empty) return <p className="text-sm text-slate-600 dark:text-slate-400">No record errors</p>;
  if (!Array.isArray(details)) return <CodeBlock label="Record errors" className={pre}>{JSON.stringify(details, null, 2)}</CodeBlock>;
  return (
    <ol className="space-y-2">
      {details.map((item, index) => {
        const described = describeItem(item);
        return (
          <li key={index} className="text-sm text-slate-700 dark:text-slate-300">
            {described ? (
              <>
                {described.id ? <code className="mr-2 font-mono text-xs text-slate-900 dark:text-slate-100">{described.id}</code> : null}
                <span className="break-words">{described.message}</span>
              </>
            ) : (
              <CodeBlock label={`Record error ${index + 1}`} className={pre}>{JSON.stringify(item, null, 2)}</CodeBlock>
            )}
          </li>
        );
      })}
    </ol>
  );
}
