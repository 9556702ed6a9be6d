'use client';

import { useId } from 'react';
import { formatDateTime } from '@/lib/client/format';
import { formatDuration, RUN_STATUS_LABELS, runDurationMs, type SyncRun } from '@/lib/client/sync';
import { axisText, ChartGridLines } from './chart-grid';
import { axisLabels, niceMax, shortNumber, shortSeconds } from './chart-scale';
import { RunsChartLegend } from './runs-chart-legend';
import { RunsChartTable, type ChartPoint } from './runs-chart-table';
import { useElementWidth } from './use-element-width';

const HEIGHT = 220;
const M = { top: 12, right: 44, bottom: 26, left: 44 };

function describe(points: ChartPoint[]): string {
  if (points.length === 0) return 'No runs to chart.';
  const records = points.map((p) => p.records);
  const longest = Math.max(0, ...points.map((p) => p.seconds ?? 0));
  const failed = points.filter((p) => p.run.status === 'failed').length;
  return [
    `${points.length} ${points.length === 1 ? 'run' : 'runs'}`,
    `from ${formatDateTime(points[0].at)} to ${formatDateTime(points.at(-1)!.at)}.`,
    `Records fetched per run range from ${Math.min(...records).toLocaleString('en')} to ${Math.max(...records).toLocaleString('en')}.`,
    `The longest run took ${formatDuration(longest * 1000)}.`,
    failed ? `${failed} failed.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

const tooltip = (p: ChartPoint) =>
  [formatDateTime(p.at), p.run.connectionName, RUN_STATUS_LABELS[p.run.status], `${p.records.toLocaleString('en')} records`]
    .concat(p.seconds === null ? [] : [formatDuration(p.seconds * 1000)])
    .join(' · ');

/** Records fetched (bars, left axis) and duration (line, right axis) per run, oldest on the left. */
export function RunsChart({ runs }: { runs: SyncRun[] }) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const id = useId();
  const points: ChartPoint[] = [...runs].reverse().map((run) => {
    const ms = runDurationMs(run);
    return { run, at: run.startedAt ?? run.queuedAt, records: run.recordsFetched, seconds: ms === null ? null : ms / 1000 };
  });
  const maxRecords = niceMax(Math.max(0, ...points.map((p) => p.records)));
  const maxSeconds = niceMax(Math.max(0, ...points.map((p) => p.seconds ?? 0)));
  const plotW = Math.max(0, width - M.left - M.right);
  const plotH = HEIGHT - M.top - M.bottom;
  const bottom = M.top + plotH;
  const band = points.length ? plotW / points.length : 0;
  const barW = Math.max(2, Math.min(28, band * 0.6));
  const x = (i: number) => M.left + band * (i + 0.5);
  const yRecords = (v: number) => M.top + plotH * (1 - v / maxRecords);
  const ySeconds = (v: number) => M.top + plotH * (1 - v / maxSeconds);
  const line = points.flatMap((p, i) => (p.seconds === null ? [] : [`${x(i).toFixed(1)},${ySeconds(p.seconds).toFixed(1)}`])).join(' ');
  const ends = points.length ? axisLabels(points[0].at, points.at(-1)!.at) : null;

  return (
    <div>
      <RunsChartLegend />
      <div ref={ref} className="mt-3" style={{ height: HEIGHT }}>
        {width > 0 ? (
          <svg width={width} height={HEIGHT} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="block">
            <title id={`${id}-title`}>Records and duration per run</title>
            <desc id={`${id}-desc`}>{describe(points)}</desc>
            <ChartGridLines
              left={M.left}
              top={M.top}
              plotWidth={plotW}
              plotHeight={plotH}
              leftLabel={(f) => shortNumber(maxRecords * f)}
              rightLabel={(f) => shortSeconds(maxSeconds * f)}
            />
            {points.map((p, i) => {
              const failed = p.run.status === 'failed';
              // A failed run that fetched nothing still shows, as a thin red mark on the baseline.
              const top = Math.min(yRecords(p.records), bottom - (failed ? 3 : 0));
              return (
                <rect
                  key={p.run.id}
                  x={x(i) - barW / 2}
                  y={top}
                  width={barW}
                  height={bottom - top}
                  rx={Math.min(2, barW / 4)}
                  className={failed ? 'fill-red-500 dark:fill-red-400' : 'fill-indigo-500 dark:fill-indigo-400'}
                >
                  <title>{tooltip(p)}</title>
                </rect>
              );
            })}
            {line ? (
              <polyline points={line} fill="none" strokeWidth={2} strokeLinejoin="round" className="stroke-amber-500 dark:stroke-amber-400" />
            ) : null}
            {points.map((p, i) =>
              p.seconds === null ? null : (
                <circle
                  key={p.run.id}
                  cx={x(i)}
                  cy={ySeconds(p.seconds)}
                  r={3}
                  strokeWidth={2}
                  className="fill-white stroke-amber-500 dark:fill-slate-900 dark:stroke-amber-400"
                >
                  <title>{tooltip(p)}</title>
                </circle>
              ),
            )}
            {ends ? (
              <>
                <text x={M.left} y={HEIGHT - 6} className={axisText}>
                  {ends[0]}
                </text>
                <text x={M.left + plotW} y={HEIGHT - 6} textAnchor="end" className={axisText}>
                  {ends[1]}
                </text>
              </>
            ) : null}
          </svg>
        ) : null}
      </div>
      <RunsChartTable points={points} />
    </div>
  );
}
