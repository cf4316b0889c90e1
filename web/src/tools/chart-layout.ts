/**
 * Where the margin-tool chart puts its texts, computed without a browser (jsdom
 * has no layout): the legend and the marker labels sit in bands above the plot,
 * stacked onto further rows when they would touch, so no label is ever printed
 * over another, over the axes or over the curves' frame — at any chart width.
 * Text widths are estimated from the character count (a generous average glyph
 * width for the UI's sans-serif), so a real glyph run is never wider than its box.
 */

export interface TextBox {
  readonly key: string;
  readonly kind: 'legend' | 'marker' | 'hline' | 'x-tick' | 'y-tick' | 'x-label' | 'y-label';
  readonly text: string;
  /** Box in chart coordinates (px): left, top, width, height. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface ChartLayoutInput {
  readonly width: number;
  readonly legend: readonly string[];
  /** Marker positions as fractions of the x range (0–1) with their labels. */
  readonly markers: readonly { readonly at: number; readonly label: string }[];
  /** Horizontal lines at a y value (0–1) with their labels. */
  readonly hLines: readonly { readonly y: number; readonly label: string }[];
  /** X tick values as fractions of the range with their texts. */
  readonly xTicks: readonly { readonly at: number; readonly text: string }[];
  readonly yTicks: readonly { readonly y: number; readonly text: string }[];
  readonly xLabel: string;
  readonly yLabel: string;
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
  readonly boxes: readonly TextBox[];
}

export const FONT = { tick: 11, label: 12, legend: 11, marker: 11 } as const;
/** Average advance of a glyph as a fraction of the font size; 0.62 covers bold digits and capitals. */
const GLYPH = 0.62;
const LEGEND_SWATCH = 28;
const ROW = 16;
const GAP = 8;
const PLOT_HEIGHT = 210;

export function textWidth(text: string, fontSize: number): number {
  return Math.ceil([...text].length * fontSize * GLYPH);
}

export function overlaps(a: TextBox, b: TextBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Greedy row packing: each box goes into the first row where it touches nothing already there. */
function packRows(items: readonly { key: string; kind: TextBox['kind']; text: string; x: number; w: number }[], top: number): { boxes: TextBox[]; rows: number } {
  const rows: TextBox[][] = [];
  const out: TextBox[] = [];
  for (const item of items) {
    let r = 0;
    for (; r < rows.length; r++) {
      const candidate = { ...item, y: top + r * ROW, h: ROW - 2 };
      if (!rows[r]!.some((b) => overlaps({ ...b, x: b.x - GAP, w: b.w + 2 * GAP }, candidate))) break;
    }
    const box: TextBox = { ...item, y: top + r * ROW, h: ROW - 2 };
    (rows[r] ??= []).push(box);
    out.push(box);
  }
  return { boxes: out, rows: rows.length };
}

export function chartLayout(input: ChartLayoutInput): ChartLayout {
  const { width } = input;
  const yTickWidth = Math.max(...input.yTicks.map((t) => textWidth(t.text, FONT.tick)), 0);
  const left = 22 + yTickWidth + 10;
  const right = width - 12;
  const boxes: TextBox[] = [];

  // Legend: left to right from the plot's left edge, wrapping onto new rows.
  let lx = left;
  let legendRow = 0;
  const legendItems = input.legend.map((text, i) => {
    const w = LEGEND_SWATCH + textWidth(text, FONT.legend);
    if (lx > left && lx + w > right) {
      legendRow++;
      lx = left;
    }
    const item = { key: `legend-${i}`, kind: 'legend' as const, text, x: lx, y: 4 + legendRow * ROW, w: Math.min(w, right - left), h: ROW - 2 };
    lx += w + 2 * GAP;
    return item;
  });
  boxes.push(...legendItems);
  const markerTop = 4 + (input.legend.length ? (legendRow + 1) * ROW : 0) + 4;

  // Marker labels: beside their line (right of it, or left when it would leave the chart), rows as needed.
  const plotWidth = right - left;
  const markerItems = input.markers.map((m, i) => {
    const x = left + m.at * plotWidth;
    const w = textWidth(m.label, FONT.marker);
    const start = x + 6 + w <= right ? x + 6 : Math.max(left, x - 6 - w);
    return { key: `marker-${i}`, kind: 'marker' as const, text: m.label, x: start, w };
  });
  const packed = packRows(markerItems, markerTop);
  boxes.push(...packed.boxes);
  const top = markerTop + packed.rows * ROW + 6;
  const bottom = top + PLOT_HEIGHT;
  const sy = (y: number) => top + (1 - y) * (bottom - top);

  // Horizontal-line labels: inside the plot at its right end, above the line (below it near the top).
  input.hLines.forEach((h, i) => {
    const w = textWidth(h.label, FONT.tick);
    const y = sy(h.y) - 5 - (ROW - 2) >= top ? sy(h.y) - 5 - (ROW - 2) + 3 : sy(h.y) + 4;
    boxes.push({ key: `hline-${i}`, kind: 'hline', text: h.label, x: right - 4 - w, y, w, h: ROW - 2 });
  });

  // Ticks and axis titles, outside the plot.
  input.yTicks.forEach((t, i) => {
    const w = textWidth(t.text, FONT.tick);
    boxes.push({ key: `y-tick-${i}`, kind: 'y-tick', text: t.text, x: left - 8 - w, y: sy(t.y) - 7, w, h: 12 });
  });
  // X ticks: drop ticks that would touch a neighbour (narrow charts keep every other one).
  let lastRight = -Infinity;
  input.xTicks.forEach((t, i) => {
    const w = textWidth(t.text, FONT.tick);
    const x = Math.min(Math.max(left + t.at * plotWidth - w / 2, left - w / 2), width - w);
    if (x < lastRight + 4) return;
    lastRight = x + w;
    boxes.push({ key: `x-tick-${i}`, kind: 'x-tick', text: t.text, x, y: bottom + 5, w, h: 12 });
  });
  const xw = Math.min(textWidth(input.xLabel, FONT.label), plotWidth);
  boxes.push({ key: 'x-label', kind: 'x-label', text: input.xLabel, x: left + (plotWidth - xw) / 2, y: bottom + 22, w: xw, h: 14 });
  const yh = Math.min(textWidth(input.yLabel, FONT.label), bottom - top);
  // The rotated y title occupies a vertical strip at the left edge.
  boxes.push({ key: 'y-label', kind: 'y-label', text: input.yLabel, x: 4, y: (top + bottom) / 2 - yh / 2, w: 14, h: yh });
  return { width, height: bottom + 42, plot: { left, top, right, bottom }, boxes };
}
