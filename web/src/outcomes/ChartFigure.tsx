import { useEffect, useRef, useState } from 'react';
import type { Chart } from './charts.ts';
import { download, svgText, svgToPng, toCsv } from './export.ts';

/** The chart's drawing: Plot returns an <svg>, or a <figure> around one when it adds a legend. */
function mainSvg(host: HTMLElement | null): SVGSVGElement | null {
  return host?.querySelector<SVGSVGElement>(':scope > svg, :scope > figure > svg') ?? null;
}

/** One chart with its caption and its three exports (SVG, PNG, CSV). */
export function ChartFigure({ chart, synthetic }: { chart: Chart; synthetic: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const drawing = chart.render(Math.min(900, Math.max(320, el.clientWidth)), synthetic);
    // One image with the chart's title as its name; the data stay reachable as CSV and in the tables beside it.
    const svg = drawing instanceof SVGSVGElement ? drawing : drawing.querySelector('svg');
    svg?.setAttribute('role', 'img');
    // Plot names each mark's <g> (aria-label); a named element needs a role that allows a name.
    for (const g of svg?.querySelectorAll('g[aria-label]:not([role])') ?? []) g.setAttribute('role', 'group');
    el.replaceChildren(drawing);
    return () => drawing.remove();
  }, [chart, synthetic]);
  const file = `centre-audit-${chart.id}`;
  const svgOf = () => {
    const svg = mainSvg(host.current);
    if (!svg) throw new Error('the chart is not drawn yet');
    return svg;
  };
  const guarded = (f: () => Promise<void> | void) => async () => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <figure className="chart" data-testid={`chart-${chart.id}`}>
      <figcaption>
        <h3>{chart.title}</h3>
        <p className="small muted">{chart.description}</p>
      </figcaption>
      <div className="chart-drawing" ref={host} />
      <div className="chart-exports" role="group" aria-label={`Export ${chart.title}`}>
        <button type="button" className="btn small" onClick={guarded(() => download(new Blob([svgText(svgOf())], { type: 'image/svg+xml' }), `${file}.svg`))}>
          SVG
        </button>
        <button type="button" className="btn small" onClick={guarded(async () => download(await svgToPng(svgOf()), `${file}.png`))}>
          PNG
        </button>
        <button type="button" className="btn small" onClick={guarded(() => download(new Blob([toCsv(chart.data.header, chart.data.rows)], { type: 'text/csv' }), `${file}.csv`))}>
          CSV (data)
        </button>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </figure>
  );
}
