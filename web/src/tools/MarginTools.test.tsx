import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { PseudocapsuleTool, SamplingTool } from './MarginTools.tsx';
import { chartLayout, overlaps, type ChartLayout } from './chart-layout.ts';

describe('margin tools', () => {
  it('reproduce the seed’s pseudocapsule example: 0.72, and 0.76 with φ = 0.15', () => {
    render(<PseudocapsuleTool />);
    expect(screen.getByTestId('pc-satellite').textContent).toBe('0.72');
    expect(screen.getByTestId('pc-residual').textContent).toBe('0.76');
    fireEvent.change(screen.getByRole('slider', { name: /Defect fraction/ }), { target: { value: '0' } });
    expect(screen.getByTestId('pc-residual').textContent).toBe('0.72');
    fireEvent.change(screen.getByRole('slider', { name: /Capsule thickness/ }), { target: { value: '6' } });
    expect(screen.getByTestId('pc-residual').textContent).toBe('0.14');
  });

  it('reproduce the seed’s sampling example: 40 blocks miss with 0.67; 299 blocks for 95 %', () => {
    const { container } = render(<SamplingTool />);
    expect(screen.getByTestId('sm-miss').textContent).toBe('0.67');
    expect(screen.getByTestId('sm-needed').textContent).toBe('299');
    expect(container.querySelector('.marker text')?.textContent).toBe('n = 40 → 0.67');
    expect([...container.querySelectorAll('.marker text')].map((t) => t.textContent)).toContain('299 blocks for 95 %');
    fireEvent.change(screen.getByRole('slider', { name: /Involved fraction/ }), { target: { value: '0.05' } });
    expect(screen.getByTestId('sm-needed').textContent).toBe('59');
  });

  it('charts have a text description for screen readers', () => {
    render(<SamplingTool />);
    expect(screen.getByRole('img', { name: /every block misses/ }).querySelector('desc')!.textContent).toMatch(/40 blocks miss with probability 0.67/);
  });
});

describe('margin tools: exact values', () => {
  it('typing n = 290 in the number box sets the blocks sampled without dragging the slider', () => {
    render(<SamplingTool />);
    fireEvent.change(screen.getByRole('spinbutton', { name: /Blocks taken n.*exact value/ }), { target: { value: '290' } });
    expect((screen.getByRole('slider', { name: /Blocks taken n/ }) as HTMLInputElement).value).toBe('290');
  });
});

describe('margin-tool charts: no label printed over another', () => {
  const plotOf = (l: ChartLayout) => ({ key: 'plot', kind: 'x-label' as const, text: '', x: l.plot.left, y: l.plot.top, w: l.plot.right - l.plot.left, h: l.plot.bottom - l.plot.top });
  function collisions(l: ChartLayout): string[] {
    const out: string[] = [];
    l.boxes.forEach((a, i) =>
      l.boxes.slice(i + 1).forEach((b) => {
        if (overlaps(a, b)) out.push(`${a.key} "${a.text}" × ${b.key} "${b.text}"`);
      }),
    );
    // Only the horizontal line's own label sits inside the plot; every other text stays outside it.
    for (const b of l.boxes) if (b.kind !== 'hline' && overlaps(b, plotOf(l))) out.push(`${b.key} "${b.text}" over the plot`);
    for (const b of l.boxes) if (b.x < 0 || b.x + b.w > l.width || b.y < 0 || b.y + b.h > l.height) out.push(`${b.key} "${b.text}" leaves the chart`);
    return out;
  }
  // The seed's sampling example as the tool draws it: n = 40 and 299 blocks on a 0–400 axis, miss = 0.05.
  const sampling = {
    legend: ['Miss probability (p = 1.0 %)'],
    markers: [
      { at: 40 / 400, label: 'n = 40 → 0.67' },
      { at: 299 / 400, label: '299 blocks for 95 %' },
    ],
    hLines: [{ y: 0.05, label: 'miss = 0.05' }],
    xTicks: [0, 100, 200, 300, 400].map((x) => ({ at: x / 400, text: String(x) })),
    yTicks: [0, 0.25, 0.5, 0.75, 1].map((y) => ({ y, text: y.toFixed(2) })),
    xLabel: 'Number of blocks n',
    yLabel: 'Miss probability',
  };
  const pseudocapsule = {
    ...sampling,
    legend: ['Residual disease (φ = 0.15)', 'Satellite beyond capsule'],
    markers: [{ at: 0.1, label: 'c = 1.0 mm → 0.76' }],
    hLines: [],
    xTicks: [0, 2, 4, 6, 8, 10].map((x) => ({ at: x / 10, text: String(x) })),
    xLabel: 'Capsule thickness c (mm)',
    yLabel: 'Probability',
  };

  it.each([280, 340, 520, 720])('at %i px: the sampling chart’s labels, legend, ticks and titles never overlap', (width) => {
    expect(collisions(chartLayout({ width, ...sampling }))).toEqual([]);
  });

  it.each([280, 340, 520, 720])('at %i px: the pseudocapsule chart’s labels never overlap', (width) => {
    expect(collisions(chartLayout({ width, ...pseudocapsule }))).toEqual([]);
  });

  it('two markers at almost the same place stack onto two rows instead of overprinting', () => {
    const l = chartLayout({ width: 340, ...sampling, markers: [{ at: 0.5, label: 'n = 200 → 0.13' }, { at: 0.52, label: '209 blocks for 90 %' }] });
    const [a, b] = l.boxes.filter((x) => x.kind === 'marker');
    expect(a!.y).not.toBe(b!.y);
    expect(collisions(l)).toEqual([]);
  });

  it('the overlap test itself: touching boxes overlap, boxes side by side do not (hand-made boxes)', () => {
    const box = (x: number, y: number) => ({ key: `${x},${y}`, kind: 'marker' as const, text: '', x, y, w: 10, h: 10 });
    expect(overlaps(box(0, 0), box(5, 5))).toBe(true);
    expect(overlaps(box(0, 0), box(10, 0))).toBe(false);
    expect(overlaps(box(0, 0), box(0, 11))).toBe(false);
  });

  it('a marker near the right edge puts its label left of the line, inside the chart', () => {
    const l = chartLayout({ width: 340, ...sampling, markers: [{ at: 0.98, label: '392 blocks for 98 %' }] });
    const m = l.boxes.find((b) => b.kind === 'marker')!;
    expect(m.x + m.w).toBeLessThanOrEqual(l.plot.left + 0.98 * (l.plot.right - l.plot.left));
  });
});
