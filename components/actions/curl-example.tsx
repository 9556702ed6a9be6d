'use client';

import { CopyButton } from '@/components/webhooks/copy-button';
import { useOrigin } from '@/components/webhooks/use-origin';
import { CodeBlock } from '@/components/ui/code-block';

const pre = 'overflow-x-auto p-3 font-mono text-xs leading-relaxed text-slate-100';

/** A dark code block with a bar above it holding its language and a Copy button (never over the code). */
function Snippet({ label, copyLabel, text, ariaLabel }: { label: string; copyLabel: string; text: string; ariaLabel: string }) {
  return (
    <div className="min-w-0 overflow-hidden rounded-lg bg-slate-900 ring-1 ring-slate-800 dark:bg-slate-950">
      <div className="flex items-center justify-between border-b border-slate-700 py-1 pr-1 pl-3">
        <span className="font-mono text-xs text-slate-400">{label}</span>
        <span className="rounded-md bg-white/90 dark:bg-slate-800">
          <CopyButton value={text} label={copyLabel} />
        </span>
      </div>
      <CodeBlock className={pre} label={ariaLabel}>
        {text}
      </CodeBlock>
    </div>
  );
}

interface CurlExampleProps {
  method: string;
  path: string;
  body?: unknown;
  idempotent?: boolean;
  /** Public routes need no key. */
  authenticated?: boolean;
}

/** A curl command for an operation, against this app's own origin (as the browser reached it). */
export function CurlExample({ method, path, body, idempotent = false, authenticated = true }: CurlExampleProps) {
  const origin = useOrigin() || 'https://your-hub.example';
  const lines = [`curl${method === 'GET' ? '' : ` -X ${method}`} '${origin}${path}'`];
  if (authenticated) lines.push(`  -H 'Authorization: Bearer $HUB_API_KEY'`);
  if (body !== undefined) lines.push(`  -H 'Content-Type: application/json'`);
  if (idempotent) lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
  if (body !== undefined) lines.push(`  -d '${JSON.stringify(body, null, 2).replaceAll("'", "'\\''")}'`);
  const command = lines.join(' \\\n');
  return (
    <Snippet label="curl" copyLabel={`Copy the example request for ${method} ${path}`} text={command} ariaLabel={`Example request: ${method} ${path}`} />
  );
}

/** A JSON snippet (e.g. an MCP client's configuration) that names this app's origin. */
export function OriginSnippet({ template, label }: { template: string; label: string }) {
  const origin = useOrigin() || 'https://your-hub.example';
  const text = template.replaceAll('{origin}', origin);
  return <Snippet label="json" copyLabel={`Copy: ${label}`} text={text} ariaLabel={label} />;
}

/** This app's origin, once the browser knows it. */
export function OriginText({ suffix = '' }: { suffix?: string }) {
  const origin = useOrigin();
  return <>{origin ? `${origin}${suffix}` : suffix}</>;
}
