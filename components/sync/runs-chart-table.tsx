import { formatDateTime } from '@/lib/client/format';
import { formatDuration, RUN_STATUS_LABELS, type SyncRun } from '@/lib/client/sync';

export interface ChartPoint {
  run: SyncRun;
  /** When the run started (or was queued, if it has not started). */
  at: string;
  records: number;
  seconds: number | null;
}

/** The chart's numbers for screen readers: the SVG itself is one image with a summary. */
export function RunsChartTable({ points }: { points: ChartPoint[] }) {
  // sr-only goes on a wrapper: a <table> ignores width and overflow, and would widen the page.
  return (
    <div className="sr-only">
      <table>
        <caption>Records and duration per run, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Connection</th>
            <th scope="col">Status</th>
            <th scope="col">Records fetched</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.run.id}>
              <th scope="row">{formatDateTime(p.at)}</th>
              <td>{p.run.connectionName}</td>
              <td>{RUN_STATUS_LABELS[p.run.status]}</td>
              <td>{p.records.toLocaleString('en')}</td>
              <td>{p.seconds === null ? 'Not started' : formatDuration(p.seconds * 1000)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
