import { useId } from 'react';

/** A small hand-written SVG line chart (keeps the bundle small): y in [0, 1] against x. */
export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

export interface Marker {
  readonly x: number;
  readonly y?: number;
  readonly label: string;
}

export interface LineChartProps {
  readonly title: string;
  readonly description: string;
  readonly series: readonly Series[];
  readonly xMax: number;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly markers?: readonly Marker[];
  readonly hLines?: readonly { y: number; label: string }[];
}

const W = 520;
const H = 280;
const PAD = { l: 52, r: 16, t: 14, b: 42 };

function ticks(max: number): number[] {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Number(v.toFixed(6)));
  return out;
}

export function LineChart({ title, description, series, xMax, xLabel, yLabel, markers = [], hLines = [] }: LineChartProps) {
  const titleId = useId();
  const descId = useId();
  const sx = (x: number) => PAD.l + (x / xMax) * (W - PAD.l - PAD.r);
  const sy = (y: number) => PAD.t + (1 - y) * (H - PAD.t - PAD.b);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
      <title id={titleId}>{title}</title>
      <desc id={descId}>{description}</desc>
      <g className="grid" aria-hidden="true">
        {[0, 0.25, 0.5, 0.75, 1].map((y) => (
          <g key={y}>
            <line x1={PAD.l} x2={W - PAD.r} y1={sy(y)} y2={sy(y)} />
            <text x={PAD.l - 8} y={sy(y) + 4} textAnchor="end">
              {y.toFixed(2)}
            </text>
          </g>
        ))}
        {ticks(xMax).map((x) => (
          <text key={x} x={sx(x)} y={H - PAD.b + 16} textAnchor="middle">
            {x}
          </text>
        ))}
        <line className="axis" x1={PAD.l} x2={W - PAD.r} y1={sy(0)} y2={sy(0)} />
        <line className="axis" x1={PAD.l} x2={PAD.l} y1={sy(0)} y2={sy(1)} />
        <text x={(PAD.l + W - PAD.r) / 2} y={H - 6} textAnchor="middle" className="axis-label">
          {xLabel}
        </text>
        <text transform={`translate(14 ${(PAD.t + H - PAD.b) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
          {yLabel}
        </text>
      </g>
      {hLines.map((h) => (
        <g key={h.label} className="hline" aria-hidden="true">
          <line x1={PAD.l} x2={W - PAD.r} y1={sy(h.y)} y2={sy(h.y)} />
          <text x={W - PAD.r - 4} y={sy(h.y) - 5} textAnchor="end">
            {h.label}
          </text>
        </g>
      ))}
      {series.map((s, i) => (
        <path
          key={s.label}
          className={`series series-${i}${s.dashed ? ' dashed' : ''}`}
          d={`M${s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('L')}`}
        />
      ))}
      {markers.map((m) => (
        <g key={m.label} className="marker" aria-hidden="true">
          <line x1={sx(m.x)} x2={sx(m.x)} y1={sy(0)} y2={sy(1)} />
          {m.y !== undefined ? <circle cx={sx(m.x)} cy={sy(m.y)} r={4.5} /> : null}
          <text x={Math.min(sx(m.x) + 6, W - PAD.r - 4)} y={PAD.t + 12} textAnchor={sx(m.x) > W - 150 ? 'end' : 'start'}>
            {m.label}
          </text>
        </g>
      ))}
      <g className="chart-legend" aria-hidden="true">
        {series.map((s, i) => (
          <g key={s.label} transform={`translate(${W - PAD.r - 210} ${PAD.t + 28 + i * 16})`}>
            <line className={`series series-${i}${s.dashed ? ' dashed' : ''}`} x1={0} x2={22} y1={0} y2={0} />
            <text x={28} y={4}>
              {s.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
