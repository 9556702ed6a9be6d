import { Badge } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/text-link';
import { formatMs, type TryItAnswer } from '@/lib/client/actions';
import { CodeBlock } from '@/components/ui/code-block';

const pre =
  'max-h-[28rem] overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';

interface TryItAnswerViewProps {
  answer: TryItAnswer;
  workspaceId: string;
  connectionId: string;
}

/** The output with the provider's raw answer last, so the model's fields come first (stored answers come back key-sorted). */
function rawLast(output: unknown): unknown {
  if (!output || typeof output !== 'object' || Array.isArray(output) || !('raw' in output)) return output;
  const { raw, ...rest } = output as Record<string, unknown>;
  return { ...rest, raw };
}

/** What the API answered: status, problem code, replayed flag, and the output (or the problem). */
export function TryItAnswerView({ answer, workspaceId, connectionId }: TryItAnswerViewProps) {
  const body = (answer.body ?? {}) as Record<string, unknown>;
  const errors = Array.isArray(body.errors) ? (body.errors as { pointer: string; detail: string }[]) : [];
  return (
    <section aria-labelledby="try-it-answer-heading" className="space-y-3" data-testid="try-it-answer">
      <h4 id="try-it-answer-heading" className="sr-only">
        Answer
      </h4>
      <div role="status" className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={answer.ok ? 'success' : 'danger'}>{answer.status === 0 ? 'No answer' : `HTTP ${answer.status}`}</Badge>
        {answer.ok ? (
          <span className="font-medium text-emerald-700 dark:text-emerald-400">Succeeded</span>
        ) : (
          <code className="font-mono text-xs font-semibold text-red-700 dark:text-red-400">{answer.code ?? 'failed'}</code>
        )}
        {answer.replayed ? <Badge tone="accent">Replayed</Badge> : null}
        <span className="text-xs text-slate-500 dark:text-slate-400">{formatMs(answer.elapsedMs)}</span>
        {answer.rateLimitRemaining ? <span className="text-xs text-slate-500 dark:text-slate-400">· {answer.rateLimitRemaining} requests left this minute</span> : null}
      </div>
      {answer.replayed ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Answered from the stored result of the earlier call with this Idempotency-Key: nothing ran at the provider again.
        </p>
      ) : null}
      {!answer.ok && typeof body.detail === 'string' ? <p className="text-sm break-words text-red-800 dark:text-red-200">{body.detail}</p> : null}
      {errors.length ? (
        <ul className="list-disc space-y-0.5 pl-5 text-sm text-red-800 dark:text-red-200">
          {errors.map((error) => (
            <li key={`${error.pointer}:${error.detail}`}>
              <code className="font-mono text-xs">{error.pointer || '/'}</code> {error.detail}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="min-w-0">
        <p className="mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{answer.ok ? 'Output' : 'Problem details'}</p>
        <CodeBlock className={pre} label={answer.ok ? 'Output JSON' : 'Problem JSON'} data-testid="try-it-output">
          {JSON.stringify(answer.ok ? rawLast(body.output) : answer.body, null, 2)}
        </CodeBlock>
      </div>
      {answer.logId ? (
        <p className="text-sm">
          <TextLink href={`/w/${workspaceId}/actions?connection=${connectionId}`}>See it in the action log</TextLink>
        </p>
      ) : null}
    </section>
  );
}
