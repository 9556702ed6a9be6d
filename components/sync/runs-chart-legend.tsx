/** The chart's key; decorative for screen readers, which get the summary and the data table. */
export function RunsChartLegend() {
  const item = 'flex items-center gap-1.5';
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-hidden="true">
      <li className={item}>
        <span className="size-2.5 rounded-sm bg-indigo-500 dark:bg-indigo-400" />
        Records fetched (left axis)
      </li>
      <li className={item}>
        <span className="size-2.5 rounded-sm bg-red-500 dark:bg-red-400" />
        Failed run
      </li>
      <li className={item}>
        <span className="h-0.5 w-4 rounded bg-amber-500 dark:bg-amber-400" />
        Duration (right axis)
      </li>
    </ul>
  );
}
