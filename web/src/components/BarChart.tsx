/** Horizontal bars on a fixed scale, one group per row: a chart that needs no library. The numbers
 *  are in the label of each bar and in a table beside it, for readers who do not see the chart. */
export interface BarSeries {
  name: string;
  colour: string;
  values: (number | null)[];
}

export function BarChart({ rows, series, max, label }: { rows: string[]; series: BarSeries[]; max: number; label: string }) {
  const barHeight = 12;
  const rowHeight = series.length * (barHeight + 2) + 14;
  const left = 140;
  const width = 520;
  const scale = (v: number) => ((width - left - 40) * Math.max(0, v)) / max;
  return (
    <figure className="bar-chart" style={{ margin: 0, overflowX: 'auto' }}>
      <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${rows.length * rowHeight + 24}`} width="100%" style={{ maxWidth: width }}>
        {rows.map((row, r) => (
          <g key={row} transform={`translate(0, ${r * rowHeight})`}>
            <text x={left - 8} y={rowHeight / 2} textAnchor="end" dominantBaseline="middle" fontSize="12" fill="#262626">
              {row.length > 18 ? `${row.slice(0, 17)}…` : row}
            </text>
            {series.map((s, i) => {
              const v = s.values[r];
              return v === null || v === undefined ? null : (
                <g key={s.name}>
                  <rect x={left} y={6 + i * (barHeight + 2)} width={scale(v)} height={barHeight} fill={s.colour}>
                    <title>{`${row} · ${s.name}: ${v}`}</title>
                  </rect>
                  <text x={left + scale(v) + 4} y={6 + i * (barHeight + 2) + barHeight / 2} dominantBaseline="middle" fontSize="10" fill="#262626">
                    {v}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
        <g transform={`translate(${left}, ${rows.length * rowHeight + 6})`}>
          {series.map((s, i) => (
            <g key={s.name} transform={`translate(${i * 120}, 0)`}>
              <rect width="10" height="10" fill={s.colour} />
              <text x="14" y="9" fontSize="11" fill="#262626">
                {s.name}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}
