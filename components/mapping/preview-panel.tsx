'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { MappingRequestError, type ModelFieldInfo, type PreviewResponse, type PreviewResult } from '@/lib/client/mapping';
import { MappedOutput } from './mapped-output';
import { CodeBlock } from '@/components/ui/code-block';

interface PreviewPanelProps {
  query: UseQueryResult<PreviewResponse, Error>;
  /** The answer to show: the query's, or the last good one while the draft is refused. */
  data: PreviewResponse | undefined;
  waiting: boolean;
  /** The saved mapping's preview: fields that differ from it are marked as changed. */
  baseline: PreviewResponse | undefined;
  fields: readonly ModelFieldInfo[];
  /** Someone who cannot edit previews the saved mapping, not a draft. */
  readOnly: boolean;
}

const pre =
  'mt-2 max-h-72 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200 dark:bg-slate-950 dark:text-slate-200 dark:ring-slate-800';

function changedFields(result: PreviewResult, baseline: PreviewResponse | undefined): Set<string> {
  const before = baseline?.results.find((r) => r.externalId === result.externalId);
  if (!before) return new Set();
  const names = new Set([...Object.keys(result.output), ...Object.keys(before.output)]);
  return new Set([...names].filter((name) => JSON.stringify(result.output[name]) !== JSON.stringify(before.output[name])));
}

function SampleRecord({ result, fields, changed }: { result: PreviewResult; fields: readonly ModelFieldInfo[]; changed: Set<string> }) {
  const [raw, setRaw] = useState(false);
  const headingId = `preview-${result.externalId}`;
  const rawId = `${headingId}-raw`;
  return (
    <article aria-labelledby={headingId} className="px-4 py-3">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="min-w-0 text-sm font-medium text-slate-900 dark:text-slate-100">
          <span className="sr-only">Record </span>
          <code className="font-mono text-xs break-all">{result.externalId}</code>
        </h3>
        {result.errors.length ? (
          <Badge tone="danger">
            {result.errors.length} {result.errors.length === 1 ? 'error' : 'errors'}
          </Badge>
        ) : (
          <Badge tone="success">Maps cleanly</Badge>
        )}
      </div>
      <MappedOutput caption={`Mapped fields of ${result.externalId}`} output={result.output} errors={result.errors} fields={fields} changed={changed} />
      <Button
        variant="ghost"
        size="sm"
        className="mt-1 -ml-2"
        aria-expanded={raw}
        aria-controls={raw ? rawId : undefined}
        aria-label={`${raw ? 'Hide' : 'Show'} raw JSON of ${result.externalId}`}
        onClick={() => setRaw(!raw)}
      >
        <span aria-hidden="true" className={`inline-block transition-transform ${raw ? 'rotate-90' : ''}`}>
          ›
        </span>
        Raw JSON
      </Button>
      {raw ? (
        <CodeBlock id={rawId} label={`Raw JSON of ${result.externalId}`} className={pre}>
          {JSON.stringify(result.raw, null, 2)}
        </CodeBlock>
      ) : null}
    </article>
  );
}

/** The draft run on the most recently seen records, refreshed as the draft changes. */
export function PreviewPanel({ query, data, waiting, baseline, fields, readOnly }: PreviewPanelProps) {
  const refused = query.error instanceof MappingRequestError && query.error.status === 422 ? query.error : null;
  const status = refused
    ? `Not updated: the draft has ${refused.issues.length === 1 ? 'a problem' : `${refused.issues.length} problems`} to fix.${data ? ' Showing the last draft that worked.' : ''}`
    : waiting
      ? 'Updating…'
      : data && !readOnly
        ? 'Up to date with the draft.'
        : '';

  return (
    <section aria-labelledby="mapping-preview-heading">
      <Card>
        <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
          <h2 id="mapping-preview-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
            Preview
          </h2>
          <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{readOnly ? 'The saved mapping' : 'The draft'} applied to the most recently synced records.{readOnly ? '' : ' Nothing is saved.'}</p>
          <p role="status" className={`mt-1.5 text-xs font-medium ${refused ? 'text-red-700 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}>
            {status}
          </p>
        </div>
        {query.isError && !refused ? <Alert className="m-4">{query.error.message}</Alert> : null}
        {!data && query.isPending && !refused ? <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">Loading the preview…</p> : null}
        {data && data.results.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">No records have been synced yet. Run a sync to preview the mapping on real data.</p>
        ) : null}
        {data && data.results.length ? (
          <div className={`divide-y divide-slate-200 transition-opacity dark:divide-slate-800 ${waiting || refused ? 'opacity-60' : ''}`} aria-busy={waiting}>
            {/* In id order, so a refreshed preview does not shuffle records that were seen at the same moment. */}
            {[...data.results].sort((a, b) => a.externalId.localeCompare(b.externalId)).map((result) => (
              <SampleRecord key={result.externalId} result={result} fields={fields} changed={changedFields(result, baseline)} />
            ))}
          </div>
        ) : null}
      </Card>
    </section>
  );
}
