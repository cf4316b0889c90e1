import PDFDocument from 'pdfkit';
import { AUDIT_SOURCES } from './benchmarks.ts';
import type { CentreAudit } from './centre-audit.ts';

/**
 * The centre audit as a PDF (issue 14): the same figures as the JSON, CSV and the
 * dashboard — each rate with numerator, denominator and completeness beside its
 * published benchmark, volume, survival with numbers at risk (and its curve drawn
 * as vectors), cumulative incidence by histology, funnel-plot units, methods and
 * sources. Synthetic (demo) figures are stamped on every page.
 */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = '#17202b';
const MUTED = '#566170';
const ALERT = '#b3261e';

/** The standard PDF fonts encode WinAnsi only: spell the few other characters the audit's text uses. */
export function winAnsi(text: string): string {
  return text
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/−/g, '-')
    .replace(/≈/g, '~')
    .replace(/[\u2009\u202f]/g, ' ')
    .replace(/[^\x20-\x7e\u00a0-\u00ff–—‘’“”…•€™]/g, '?');
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)} %`);

export const SYNTHETIC_PDF_STAMP = 'SYNTHETIC DEMO DATA - not real patients, not for research or comparison';

export function centreAuditPdf(audit: CentreAudit, generatedAt: string = new Date().toISOString()): Promise<Buffer> {
  const doc = new PDFDocument({ size: A4, margin: MARGIN, bufferPages: true, info: { Title: 'Centre audit: outcomes against published benchmarks', Creator: 'Retroplan' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = A4[0] - 2 * MARGIN;
  const bottom = A4[1] - MARGIN;
  const room = (h: number) => {
    if (doc.y + h > bottom) doc.addPage();
  };
  const heading = (text: string) => {
    room(60);
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(INK).text(winAnsi(text), MARGIN, doc.y, { width });
    doc.moveDown(0.3).font('Helvetica').fontSize(9.5);
  };
  const para = (text: string, colour = INK) => {
    room(30);
    doc.font('Helvetica').fontSize(9.5).fillColor(colour).text(winAnsi(text), MARGIN, doc.y, { width });
  };
  /** A table: fixed column widths (fractions of the width), header row bold, rows wrap. */
  const table = (columns: readonly [string, number][], rows: readonly string[][]) => {
    const xs: number[] = [];
    let x = MARGIN;
    for (const [, w] of columns) {
      xs.push(x);
      x += w * width;
    }
    const row = (cells: readonly string[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
      const heights = cells.map((c, i) => doc.heightOfString(winAnsi(c), { width: columns[i]![1] * width - 4 }));
      const h = Math.max(...heights) + 4;
      room(h);
      const top = doc.y;
      cells.forEach((c, i) => doc.fillColor(INK).text(winAnsi(c), xs[i]!, top + 2, { width: columns[i]![1] * width - 4 }));
      doc.moveTo(MARGIN, top + h).lineTo(MARGIN + width, top + h).lineWidth(0.4).strokeColor('#d5dae1').stroke();
      doc.x = MARGIN;
      doc.y = top + h;
    };
    row(columns.map(([label]) => label), true);
    for (const r of rows) row(r, false);
    doc.moveDown(0.4);
  };

  doc.font('Helvetica-Bold').fontSize(17).fillColor(INK).text('Centre audit: outcomes against published benchmarks', { width });
  doc.moveDown(0.3);
  para(`Operations ${audit.period.from ?? 'from the first recorded'} to ${audit.period.to ?? 'the last recorded'}. Generated ${generatedAt.slice(0, 10)} by Retroplan (REFERENCE-2 section 6).`, MUTED);
  if (audit.synthetic > 0) {
    doc.moveDown(0.4);
    para(`${SYNTHETIC_PDF_STAMP}: ${audit.synthetic} of the ${audit.operated} operated cases are synthetic (the demo centre).`, ALERT);
  }
  doc.moveDown(0.4);
  para(`${audit.operated} resections counted; left out: ${audit.excluded.noOperationDate} without an operation date, ${audit.excluded.outsidePeriod} outside the period.`);

  heading('Quality indicators');
  table(
    [['Indicator', 0.3], ['Centre', 0.1], ['Cases', 0.1], ['Recorded in', 0.11], ['Benchmark', 0.11], ['Benchmark population (source)', 0.28]],
    audit.indicators.map((i) => [i.label, pct(i.rate), `${i.numerator} / ${i.denominator}`, `${i.completeness.recorded} of ${i.completeness.total}`, pct(i.benchmark.value), `${i.benchmark.population} (${i.benchmark.source})`]),
  );

  heading('Volume');
  table([['Year', 0.2], ['Resections', 0.2]], audit.volumeByYear.map((v) => [String(v.year), String(v.resections)]));

  heading('Overall survival (Kaplan–Meier from the operation)');
  const os = audit.overallSurvival;
  if (!os) para('No operated case in the period.');
  else {
    para(`${os.curve.n} patients, ${os.curve.events} deaths. 5-year overall survival ${os.atFiveYears ? `${pct(os.atFiveYears.survival)} (95 % CI ${pct(os.atFiveYears.lower)} to ${pct(os.atFiveYears.upper)})` : 'not estimable (no follow-up reaches 5 years)'}; benchmark ${pct(os.benchmark.value)}, ${os.benchmark.population} (${os.benchmark.source}).`);
    doc.moveDown(0.4);
    drawSurvival(doc, audit, width, room, audit.synthetic > 0);
    table([['Months', 0.2], ...os.numbersAtRisk.map((r) => [String(r.months), 0.1] as [string, number])], [['At risk', ...os.numbersAtRisk.map((r) => String(r.atRisk))]]);
  }

  heading('Local recurrence and distant metastasis at 5 years (cumulative incidence, death competing)');
  table(
    [['Histology', 0.4], ['Patients', 0.14], ['Local recurrence', 0.23], ['Distant metastasis', 0.23]],
    audit.localRecurrence.map((lr) => {
      const dm = audit.distantMetastasis.find((d) => d.group === lr.group);
      return [lr.group, String(lr.n), lr.atFiveYears === null ? 'follow-up < 5 years' : pct(lr.atFiveYears), dm?.atFiveYears === null || dm === undefined ? 'follow-up < 5 years' : pct(dm.atFiveYears)];
    }),
  );
  para('Benchmarks (primary RPS, crude cumulative incidence at 5 years, GRONCHI-2016): local recurrence 25.9 %, distant metastasis 21 %.', MUTED);

  const units = audit.indicators.filter((i) => i.funnel.length > 0);
  if (units.length > 0) {
    heading('Funnel-plot units (95 % and 99.8 % limits around the benchmark)');
    table(
      [['Indicator', 0.28], ['Unit', 0.18], ['Cases', 0.12], ['Rate', 0.1], ['95 % limits', 0.16], ['Zone', 0.16]],
      units.flatMap((i) => i.funnel.map((f) => [i.label, f.group, `${f.numerator} / ${f.denominator}`, pct(f.rate), `${pct(f.limits.lower95)} to ${pct(f.limits.upper95)}`, f.zone])),
    );
  }

  heading('Methods');
  for (const n of audit.notes) para(`• ${n}`);
  heading('Sources');
  const used = new Set([...audit.indicators.map((i) => i.benchmark.source), 'GRONCHI-2016', 'SPIEGELHALTER-2002', 'SPIEGELHALTER-2005']);
  for (const id of used) para(`${id}: ${AUDIT_SOURCES[id] ?? id}`, MUTED);

  // Page footers (and the synthetic stamp) on every page once the page count is known.
  const range = doc.bufferedPageRange();
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    const footer = `${audit.synthetic > 0 ? `${SYNTHETIC_PDF_STAMP}   ` : ''}Page ${p + 1} of ${range.count}`;
    doc.font('Helvetica').fontSize(7.5).fillColor(audit.synthetic > 0 ? ALERT : MUTED).text(footer, MARGIN, A4[1] - MARGIN + 14, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

/** The Kaplan–Meier curve with its confidence band, as vectors, 0–120 months. */
function drawSurvival(doc: PDFKit.PDFDocument, audit: CentreAudit, width: number, room: (h: number) => void, synthetic: boolean): void {
  const os = audit.overallSurvival!;
  const h = 170;
  room(h + 30);
  const left = MARGIN + 34;
  const top = doc.y;
  const w = width - 60;
  const maxT = Math.max(12, ...os.curve.steps.map((s) => s.time));
  const X = (t: number) => left + (Math.min(t, maxT) / maxT) * w;
  const Y = (s: number) => top + (1 - s) * h;
  doc.lineWidth(0.4).strokeColor('#d5dae1');
  for (let s = 0; s <= 1.0001; s += 0.2) {
    doc.moveTo(left, Y(s)).lineTo(left + w, Y(s)).stroke();
    doc.font('Helvetica').fontSize(7).fillColor(MUTED).text(`${Math.round(s * 100)} %`, MARGIN, Y(s) - 3, { width: 30, align: 'right', lineBreak: false });
  }
  for (let t = 0; t <= maxT; t += 12) doc.font('Helvetica').fontSize(7).fillColor(MUTED).text(String(t), X(t) - 10, top + h + 4, { width: 20, align: 'center', lineBreak: false });
  const points = [{ time: 0, survival: 1, lower: 1, upper: 1 }, ...os.curve.steps];
  // Band: upper edge forwards, lower edge back, as steps.
  const band: [number, number][] = [];
  points.forEach((p, i) => {
    const next = points[i + 1]?.time ?? maxT;
    band.push([X(p.time), Y(p.upper)], [X(next), Y(p.upper)]);
  });
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    const next = points[i + 1]?.time ?? maxT;
    band.push([X(next), Y(p.lower)], [X(p.time), Y(p.lower)]);
  }
  doc.polygon(...band).fillOpacity(0.18).fill('#1f4e79').fillOpacity(1);
  doc.moveTo(X(0), Y(1));
  points.forEach((p, i) => {
    const next = points[i + 1]?.time ?? maxT;
    doc.lineTo(X(p.time), Y(p.survival)).lineTo(X(next), Y(p.survival));
  });
  doc.lineWidth(1.2).strokeColor('#1f4e79').stroke();
  if (maxT >= 60) doc.circle(X(60), Y(os.benchmark.value), 3).fill('#b26a00');
  doc.font('Helvetica').fontSize(7).fillColor(MUTED).text(`Months from the operation; band: 95 % CI; orange dot: benchmark at 5 years (${os.benchmark.source})${synthetic ? '; SYNTHETIC DEMO DATA' : ''}`, left, top + h + 14, { width: w });
  doc.x = MARGIN;
  doc.y = top + h + 30;
}
