import { useEffect, useId, useRef, useState } from 'react';
import { chartLayout, type TextBox } from './chart-layout.ts';

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

/** Width used before the chart is measured (and in jsdom, which has no layout). */
const DEFAULT_WIDTH = 520;
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];

function ticks(max: number): number[] {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Number(v.toFixed(6)));
  return out;
}

/** The chart is drawn at its on-screen width, so its texts keep their size on a phone instead of shrinking with a scaled drawing. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(Math.max(280, Math.min(720, w)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function Label({ box, className }: { box: TextBox; className?: string }) {
  return (
    <text x={box.x} y={box.y + box.h - 3} className={className}>
      {box.text}
    </text>
  );
}

export function LineChart({ title, description, series, xMax, xLabel, yLabel, markers = [], hLines = [] }: LineChartProps) {
  const titleId = useId();
  const descId = useId();
  const [ref, width] = useWidth();
  const xTicks = ticks(xMax);
  const layout = chartLayout({
    width,
    legend: series.map((s) => s.label),
    markers: markers.map((m) => ({ at: Math.min(1, Math.max(0, m.x / xMax)), label: m.label })),
    hLines,
    xTicks: xTicks.map((x) => ({ at: x / xMax, text: String(x) })),
    yTicks: Y_TICKS.map((y) => ({ y, text: y.toFixed(2) })),
    xLabel,
    yLabel,
  });
  const { plot, height } = layout;
  const sx = (x: number) => plot.left + (x / xMax) * (plot.right - plot.left);
  const sy = (y: number) => plot.top + (1 - y) * (plot.bottom - plot.top);
  const boxes = (kind: TextBox['kind']) => layout.boxes.filter((b) => b.kind === kind);
  const yLabelBox = boxes('y-label')[0]!;
  return (
    <div ref={ref} className="chart-wrap">
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby={`${titleId} ${descId}`}>
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <g className="grid" aria-hidden="true">
          {Y_TICKS.map((y) => (
            <line key={y} x1={plot.left} x2={plot.right} y1={sy(y)} y2={sy(y)} />
          ))}
          {boxes('y-tick').map((b) => (
            <Label key={b.key} box={b} />
          ))}
          {boxes('x-tick').map((b) => (
            <Label key={b.key} box={b} />
          ))}
          <line className="axis" x1={plot.left} x2={plot.right} y1={sy(0)} y2={sy(0)} />
          <line className="axis" x1={plot.left} x2={plot.left} y1={sy(0)} y2={sy(1)} />
          {boxes('x-label').map((b) => (
            <Label key={b.key} box={b} className="axis-label" />
          ))}
          <text transform={`translate(${yLabelBox.x + yLabelBox.w - 3} ${yLabelBox.y + yLabelBox.h / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
            {yLabel}
          </text>
        </g>
        {hLines.map((h, i) => (
          <g key={h.label} className="hline" aria-hidden="true">
            <line x1={plot.left} x2={plot.right} y1={sy(h.y)} y2={sy(h.y)} />
            <Label box={boxes('hline')[i]!} />
          </g>
        ))}
        {series.map((s, i) => (
          <path
            key={s.label}
            className={`series series-${i}${s.dashed ? ' dashed' : ''}`}
            d={`M${s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('L')}`}
          />
        ))}
        {markers.map((m, i) => {
          const box = boxes('marker')[i]!;
          return (
            <g key={m.label} className="marker" aria-hidden="true">
              {/* The marker line reaches up to its label's row, so each label is tied to its line. */}
              <line x1={sx(m.x)} x2={sx(m.x)} y1={sy(0)} y2={box.y + box.h} />
              {m.y !== undefined ? <circle cx={sx(m.x)} cy={sy(m.y)} r={4.5} /> : null}
              <Label box={box} />
            </g>
          );
        })}
        <g className="chart-legend" aria-hidden="true">
          {series.map((s, i) => {
            const b = boxes('legend')[i]!;
            return (
              <g key={s.label}>
                <line className={`series series-${i}${s.dashed ? ' dashed' : ''}`} x1={b.x} x2={b.x + 22} y1={b.y + b.h / 2} y2={b.y + b.h / 2} />
                <text x={b.x + 28} y={b.y + b.h - 3}>
                  {s.label}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}
