import * as Plot from '@observablehq/plot';
import type { CentreAudit, IncidenceSummary, RateIndicator } from '../../../src/outcomes/centre-audit.ts';
import { funnelLimits } from '../../../src/outcomes/statistics.ts';
import type { CsvCell } from './export.ts';

/**
 * The dashboard's charts as Observable Plot specifications, each with the table
 * of figures it draws (exported as CSV). Pure builders: audit data in, a chart
 * element and its rows out; the page decides where they go.
 */

export interface ChartData {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvCell[])[];
}

export interface Chart {
  readonly id: string;
  readonly title: string;
  /** What the chart shows, for the figure caption and the SVG's accessible name. */
  readonly description: string;
  readonly data: ChartData;
  /** `synthetic`: the figures come from synthetic (demo) cases — stamped on the chart itself, so an exported image carries it. */
  render(width: number, synthetic: boolean): SVGSVGElement | HTMLElement;
}

const WIDTH_DEFAULT = 640;
const percent = (d: number) => `${Math.round(d * 100)} %`;

export const SYNTHETIC_STAMP = 'SYNTHETIC DEMO DATA — not real patients';

function frame(title: string, width: number, synthetic: boolean, options: Plot.PlotOptions & { marks: Plot.Markish[] }): SVGSVGElement | HTMLElement {
  const stamp = synthetic ? [Plot.text([SYNTHETIC_STAMP], { frameAnchor: 'top-right', dy: -14, fill: '#b3261e', fontWeight: 'bold', text: (d: string) => d })] : [];
  return Plot.plot({ width: width || WIDTH_DEFAULT, height: 320, marginTop: 28, marginLeft: 52, marginRight: 210, style: { fontSize: '12px' }, ariaLabel: title, ...options, marks: [...options.marks, ...stamp] });
}

export function volumeChart(audit: CentreAudit): Chart {
  const rows = audit.volumeByYear.map((v) => [v.year, v.resections] as const);
  return {
    id: 'volume',
    title: 'Resections a year',
    description: 'Bars: resections a year; dashed line: 10 a year, the threshold most used (REFERENCE-2 §6.1).',
    data: { header: ['year', 'resections'], rows },
    render: (width, synthetic) =>
      frame('Resections a year', width, synthetic, {
        x: { label: 'Year', type: 'band', tickFormat: (d: number) => String(d) },
        y: { label: 'Resections', grid: true },
        marks: [Plot.barY(audit.volumeByYear, { x: 'year', y: 'resections', fill: '#1f4e79' }), Plot.ruleY([10], { stroke: '#b26a00', strokeDasharray: '4,3' }), Plot.ruleY([0])],
      }),
  };
}

export function survivalChart(audit: CentreAudit): Chart | null {
  const os = audit.overallSurvival;
  if (!os) return null;
  const points = [{ time: 0, survival: 1, lower: 1, upper: 1, atRisk: os.curve.n, events: 0, censored: 0 }, ...os.curve.steps];
  const benchmark = [{ time: 60, survival: os.benchmark.value, label: `benchmark ${percent(os.benchmark.value)} at 5 years` }];
  return {
    id: 'overall-survival',
    title: 'Overall survival (Kaplan–Meier)',
    description: `Kaplan–Meier overall survival from the operation with its ${Math.round(os.curve.level * 100)} % confidence band; the dot is the published 5-year benchmark (${os.benchmark.source}).`,
    data: {
      header: ['months', 'at_risk', 'events', 'censored', 'survival', 'lower', 'upper'],
      rows: points.map((s) => [s.time, s.atRisk, s.events, s.censored, s.survival, s.lower, s.upper]),
    },
    render: (width, synthetic) =>
      frame('Overall survival (Kaplan–Meier)', width, synthetic, {
        x: { label: 'Months from the operation', grid: true },
        y: { label: 'Alive', domain: [0, 1], tickFormat: percent, grid: true },
        marks: [
          Plot.areaY(points, { x: 'time', y1: 'lower', y2: 'upper', curve: 'step-after', fill: '#1f4e79', fillOpacity: 0.18 }),
          Plot.lineY(points, { x: 'time', y: 'survival', curve: 'step-after', stroke: '#1f4e79', strokeWidth: 2 }),
          Plot.dot(benchmark, { x: 'time', y: 'survival', fill: '#b26a00', r: 5, symbol: 'diamond' }),
          Plot.text(benchmark, { x: 'time', y: 'survival', text: 'label', dx: 8, textAnchor: 'start', fill: '#6b3d00' }),
        ],
      }),
  };
}

const GROUP_COLOURS = ['#1f4e79', '#b3261e', '#1e6b3a', '#8a63c4', '#b26a00', '#2b7a8c', '#5b5b5b', '#c2185b'];

export function incidenceChart(id: string, title: string, groups: readonly IncidenceSummary[], benchmark: { value: number; source: string }): Chart {
  const points = groups.flatMap((g) => [{ group: g.group, time: 0, incidence: 0, atRisk: g.n, events: 0, competing: 0 }, ...g.steps.map((s) => ({ group: g.group, ...s }))]);
  const marker = [{ time: 60, incidence: benchmark.value, label: `benchmark ${percent(benchmark.value)} at 5 years` }];
  return {
    id,
    title,
    description: `${title}: cumulative incidence (Aalen–Johansen) with death as the competing event, one line per histology; the dot is the published 5-year benchmark (${benchmark.source}).`,
    data: { header: ['histology', 'months', 'at_risk', 'events', 'competing', 'incidence'], rows: points.map((p) => [p.group, p.time, p.atRisk, p.events, p.competing, p.incidence]) },
    render: (width, synthetic) =>
      frame(title, width, synthetic, {
        x: { label: 'Months from the operation', grid: true },
        y: { label: 'Cumulative incidence', domain: [0, 1], tickFormat: percent, grid: true },
        color: { domain: groups.map((g) => g.group), range: GROUP_COLOURS },
        marks: [
          Plot.lineY(points, { x: 'time', y: 'incidence', z: 'group', stroke: 'group', curve: 'step-after', strokeWidth: 1.75 }),
          Plot.text(points, Plot.selectLast({ x: 'time', y: 'incidence', z: 'group', text: 'group', fill: 'group', dx: 4, textAnchor: 'start' })),
          Plot.dot(marker, { x: 'time', y: 'incidence', fill: '#b26a00', r: 5, symbol: 'diamond' }),
          Plot.text(marker, { x: 'time', y: 'incidence', text: 'label', dy: -10, fill: '#6b3d00' }),
        ],
      }),
  };
}

const ZONE_COLOURS = { within: '#1e6b3a', alert: '#b26a00', alarm: '#b3261e' } as const;

/** Funnel plot of one rate by surgeon or hospital: the units as dots, the 95 % and 99.8 % limits around the benchmark. */
export function funnelChart(indicator: RateIndicator, unit: string): Chart {
  const maxN = Math.max(10, ...indicator.funnel.map((f) => f.denominator)) + 2;
  const limits = Array.from({ length: maxN }, (_, i) => funnelLimits(indicator.benchmark.value, i + 1));
  const title = `${indicator.label} by ${unit}`;
  return {
    id: `funnel-${indicator.id}`,
    title,
    description: `Funnel plot: each ${unit}'s ${indicator.label} against its number of cases; solid lines 95 %, dashed 99.8 % limits around the benchmark ${percent(indicator.benchmark.value)} (${indicator.benchmark.source}).`,
    data: {
      header: [unit, 'numerator', 'denominator', 'rate', 'benchmark', 'lower95', 'upper95', 'lower998', 'upper998', 'zone'],
      rows: indicator.funnel.map((f) => [f.group, f.numerator, f.denominator, f.rate, indicator.benchmark.value, f.limits.lower95, f.limits.upper95, f.limits.lower998, f.limits.upper998, f.zone]),
    },
    render: (width, synthetic) =>
      frame(title, width, synthetic, {
        x: { label: 'Cases (denominator)', grid: true },
        y: { label: indicator.label, domain: [0, 1], tickFormat: percent, grid: true },
        marks: [
          Plot.lineY(limits, { x: 'n', y: 'lower95', curve: 'step-after', stroke: '#566170' }),
          Plot.lineY(limits, { x: 'n', y: 'upper95', curve: 'step-after', stroke: '#566170' }),
          Plot.lineY(limits, { x: 'n', y: 'lower998', curve: 'step-after', stroke: '#566170', strokeDasharray: '5,3' }),
          Plot.lineY(limits, { x: 'n', y: 'upper998', curve: 'step-after', stroke: '#566170', strokeDasharray: '5,3' }),
          Plot.ruleY([indicator.benchmark.value], { stroke: '#b26a00' }),
          Plot.dot(indicator.funnel, { x: 'denominator', y: 'rate', r: 5, fill: (f: { zone: keyof typeof ZONE_COLOURS }) => ZONE_COLOURS[f.zone], stroke: '#ffffff' }),
          Plot.text(indicator.funnel, { x: 'denominator', y: 'rate', text: 'group', dx: 8, textAnchor: 'start' }),
        ],
      }),
  };
}
