'use client';

import { useId, useState } from 'react';
import { axisText, ChartGridLines } from '@/components/sync/chart-grid';
import { niceMax, shortNumber } from '@/components/sync/chart-scale';
import { useElementWidth } from '@/components/sync/use-element-width';
import { buttonClasses } from '@/components/ui/button';
import { SectionCard } from '@/components/ui/card';
import { TextLink } from '@/components/ui/text-link';
import { OUTCOME_LABELS, type Overview, type RunBucket, type RunOutcome } from '@/lib/client/overview';

const HEIGHT = 200;
const M = { top: 12, right: 12, bottom: 26, left: 40 };

// Stacked bottom to top in this order; the colours match the legend's swatches.
const STACK: readonly { outcome: RunOutcome; fill: string; swatch: string }[] = [
  { outcome: 'succeeded', fill: 'fill-emerald-500 dark:fill-emerald-400', swatch: 'bg-emerald-500 dark:bg-emerald-400' },
  { outcome: 'partial', fill: 'fill-amber-500 dark:fill-amber-400', swatch: 'bg-amber-500 dark:bg-amber-400' },
  { outcome: 'failed', fill: 'fill-red-500 dark:fill-red-400', swatch: 'bg-red-500 dark:bg-red-400' },
  { outcome: 'cancelled', fill: 'fill-slate-400 dark:fill-slate-500', swatch: 'bg-slate-400 dark:bg-slate-500' },
  { outcome: 'active', fill: 'fill-sky-500 dark:fill-sky-400', swatch: 'bg-sky-500 dark:bg-sky-400' },
];

type Span = 'day' | 'week';
const SPANS: Record<Span, { label: string; caption: string }> = {
  day: { label: 'Last 24 hours', caption: 'Sync runs per hour over the last 24 hours, by outcome' },
  week: { label: 'Last 7 days', caption: 'Sync runs per day over the last 7 days, by outcome' },
};

function bucketLabel(start: string, span: Span): string {
  const date = new Date(start);
  return span === 'day'
    ? date.toLocaleString(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' });
}

function describeBucket(bucket: RunBucket, span: Span): string {
  const parts = STACK.filter(({ outcome }) => bucket[outcome] > 0).map(({ outcome }) => `${bucket[outcome]} ${OUTCOME_LABELS[outcome].toLowerCase()}`);
  return `${bucketLabel(bucket.start, span)}: ${bucket.total} ${bucket.total === 1 ? 'run' : 'runs'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Runs per hour (day) or per day (week), stacked by how they ended; a table says the same for screen readers. */
export function RunsOutcomeChart({ workspaceId, runs }: { workspaceId: string; runs: Overview['runs'] }) {
  const [span, setSpan] = useState<Span>('day');
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const id = useId();
  const { buckets, totals } = runs[span];
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.total)));
  const plotW = Math.max(0, width - M.left - M.right);
  const plotH = HEIGHT - M.top - M.bottom;
  const band = buckets.length ? plotW / buckets.length : 0;
  const barW = Math.max(2, Math.min(36, band * 0.7));
  const y = (v: number) => (plotH * v) / max;
  // The right end is always the bucket holding now; the left says how far back the window reaches.
  const ends = span === 'day' ? ['24 hours ago', 'Now'] : [bucketLabel(buckets[0].start, 'week'), 'Today'];
  const summary = `${totals.total} ${totals.total === 1 ? 'run' : 'runs'}: ${totals.succeeded} succeeded, ${totals.partial} partial, ${totals.failed} failed, ${totals.cancelled} cancelled, ${totals.active} queued or running.`;

  return (
    <SectionCard
      id="overview-runs-heading"
      title="Sync runs"
      description={
        <>
          {summary} <TextLink href={`/w/${workspaceId}/sync-history`}>Sync history</TextLink>
        </>
      }
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="Time span" className="inline-flex gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
          {(Object.keys(SPANS) as Span[]).map((key) => (
            <button
              key={key}
              type="button"
              aria-pressed={span === key}
              onClick={() => setSpan(key)}
              className={buttonClasses(
                'ghost',
                'sm',
                span === key ? 'bg-white text-slate-900 shadow-sm hover:bg-white dark:bg-slate-950 dark:text-slate-50 dark:hover:bg-slate-950' : '',
              )}
            >
              {SPANS[key].label}
            </button>
          ))}
        </div>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-hidden="true">
          {STACK.map(({ outcome, swatch }) => (
            <li key={outcome} className="flex items-center gap-1.5">
              <span className={`size-2.5 rounded-sm ${swatch}`} />
              {OUTCOME_LABELS[outcome]}
            </li>
          ))}
        </ul>
      </div>
      <div ref={ref} className="mt-4" style={{ height: HEIGHT }}>
        {width > 0 ? (
          <svg width={width} height={HEIGHT} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="block">
            <title id={`${id}-title`}>{SPANS[span].caption}</title>
            <desc id={`${id}-desc`}>{summary}</desc>
            <ChartGridLines left={M.left} top={M.top} plotWidth={plotW} plotHeight={plotH} leftLabel={(f) => shortNumber(max * f)} />
            {buckets.map((bucket, i) => {
              const x = M.left + band * (i + 0.5) - barW / 2;
              let base = M.top + plotH;
              return (
                <g key={bucket.start}>
                  <title>{describeBucket(bucket, span)}</title>
                  {/* A transparent full-height hit area, so an empty hour still shows its tooltip. */}
                  <rect x={M.left + band * i} y={M.top} width={band} height={plotH} fill="transparent" />
                  {STACK.map(({ outcome, fill }) => {
                    const h = y(bucket[outcome]);
                    if (h <= 0) return null;
                    base -= h;
                    return <rect key={outcome} x={x} y={base} width={barW} height={h} className={fill} />;
                  })}
                </g>
              );
            })}
            <text x={M.left} y={HEIGHT - 6} className={axisText}>
              {ends[0]}
            </text>
            <text x={M.left + plotW} y={HEIGHT - 6} textAnchor="end" className={axisText}>
              {ends[1]}
            </text>
          </svg>
        ) : null}
      </div>
      <div className="sr-only">
        <table>
          <caption>{SPANS[span].caption}</caption>
          <thead>
            <tr>
              <th scope="col">{span === 'day' ? 'Hour' : 'Day'}</th>
              {STACK.map(({ outcome }) => (
                <th key={outcome} scope="col">
                  {OUTCOME_LABELS[outcome]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.start}>
                <th scope="row">{bucketLabel(bucket.start, span)}</th>
                {STACK.map(({ outcome }) => (
                  <td key={outcome}>{bucket[outcome]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </SectionCard>
  );
}
