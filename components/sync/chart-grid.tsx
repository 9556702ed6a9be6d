// The horizontal grid shared by the app's SVG charts: lines at 0, ½ and the maximum, labelled on
// the left (and, for a chart with a second scale, on the right).
export const axisText = 'fill-slate-500 text-[11px] dark:fill-slate-400';

interface ChartGridLinesProps {
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
  /** The left axis label at a fraction (0, 0.5, 1) of the scale. */
  leftLabel: (fraction: number) => string;
  rightLabel?: (fraction: number) => string;
}

export function ChartGridLines({ left, top, plotWidth, plotHeight, leftLabel, rightLabel }: ChartGridLinesProps) {
  return [0, 0.5, 1].map((fraction) => {
    const y = top + plotHeight * (1 - fraction);
    return (
      <g key={fraction}>
        <line x1={left} x2={left + plotWidth} y1={y} y2={y} strokeDasharray={fraction ? '3 3' : undefined} className="stroke-slate-200 dark:stroke-slate-700" />
        <text x={left - 6} y={y} dy="0.32em" textAnchor="end" className={axisText}>
          {leftLabel(fraction)}
        </text>
        {rightLabel ? (
          <text x={left + plotWidth + 6} y={y} dy="0.32em" className={axisText}>
            {rightLabel(fraction)}
          </text>
        ) : null}
      </g>
    );
  });
}
