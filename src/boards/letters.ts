import PDFDocument from 'pdfkit';
import type { Evaluation } from '../engine/index.ts';
import { formatDate, formatDateTime, humanText, label, priorityName, priorityPlainName } from '../engine/vocabulary.ts';
import { buildProforma, type Proforma } from '../report/proforma.ts';
import type { BoardDecision } from '../store/meetings.ts';

/**
 * What the board sends after a signed decision (REFERENCE-2 §9.3): the outcome letter for the
 * referrer (question, recommendation, intent, who acts next, follow-up) and a plain-language
 * summary for the patient. Built only from the signed decision and the case's report model
 * (src/report), in the vocabulary's words: never a raw code or id, and never an engine
 * option the board did not choose (hazard H54).
 */
export interface LetterSection {
  readonly heading: string;
  readonly lines: readonly string[];
}

export interface LetterDocument {
  readonly title: string;
  readonly sections: readonly LetterSection[];
  readonly footer: string;
}

export interface LetterSource {
  /** Must be signed: the routes refuse a letter for an unsigned decision. */
  readonly decision: BoardDecision;
  readonly previous: BoardDecision | null;
  readonly caseTitle: string;
  readonly caseAtDecision: unknown;
  readonly evaluation: Evaluation | null;
  readonly meeting: { readonly title: string; readonly date: string; readonly chair: string } | null;
}

function row(p: Proforma, group: string, labelText: string): string {
  return p.groups.find((g) => g.id === group)?.rows.find((r) => r.label === labelText)?.value ?? 'not recorded';
}

function signedLine(d: BoardDecision): string {
  return `Signed off by ${d.signedBy ?? 'nobody'} (chair) on ${formatDateTime(d.signedAt)}.`;
}

function amendmentLines(source: LetterSource): string[] {
  return source.previous ? [`This amended decision replaces the one signed on ${formatDateTime(source.previous.signedAt)}; the earlier letter no longer applies.`] : [];
}

export function outcomeLetter(source: LetterSource): LetterDocument {
  const { decision: d } = source;
  const p = buildProforma(source.caseAtDecision, source.evaluation, { title: source.caseTitle, version: d.caseVersion });
  const deviation =
    d.concordance === 'non_concordant_justified'
      ? [`Reason: ${label('deviationReason', d.deviationReason)}${d.deviationText ? ` — ${d.deviationText}` : ''}.`]
      : [];
  return {
    title: 'Sarcoma tumour board — outcome letter',
    sections: [
      { heading: 'To the referrer', lines: [row(p, 'referral', 'Referrer')] },
      {
        heading: 'Patient',
        lines: [`Name: ${row(p, 'patient', 'Name')}`, `Date of birth / age: ${row(p, 'patient', 'Date of birth / age')}`, `Hospital number: ${row(p, 'patient', 'Hospital number (MRN)')}`],
      },
      {
        heading: 'Meeting',
        lines: source.meeting
          ? [`${source.meeting.title}, ${formatDate(source.meeting.date)}; chair ${source.meeting.chair}.`, `Present: ${d.attendees.join(', ')}.`]
          : [`${formatDate(d.date)}. Present: ${d.attendees.join(', ')}.`],
      },
      { heading: 'Question to the board', lines: [row(p, 'referral', 'Question to the board')] },
      {
        heading: 'Recommendation',
        lines: [...d.strategyIds.map((id, i) => `${i + 1}. ${priorityName(id)}`), `In the board's words: ${d.decision}`],
      },
      { heading: 'Intent of treatment', lines: [d.intent ? label('intent', d.intent) : 'not recorded'] },
      { heading: 'Who acts next and follow-up', lines: [d.nextSteps ?? 'not recorded'] },
      { heading: 'Agreement with decision support', lines: [d.concordance ? label('concordance', d.concordance) : 'not assessed', ...deviation] },
      { heading: 'Sign-off', lines: [signedLine(d), ...amendmentLines(source)] },
    ],
    footer: `${source.caseTitle} · case version ${d.caseVersion} · decision support: Retroplan`,
  };
}

export function patientSummary(source: LetterSource): LetterDocument {
  const { decision: d } = source;
  const p = buildProforma(source.caseAtDecision, source.evaluation, { title: source.caseTitle, version: d.caseVersion });
  const name = row(p, 'patient', 'Name');
  return {
    title: 'Your tumour board summary',
    sections: [
      {
        heading: 'About this summary',
        lines: [
          `${name === 'not recorded' ? 'This summary' : `For ${name}. This summary`} explains what the specialist sarcoma team recommended when they met on ${formatDate(source.meeting?.date ?? d.date)}.`,
          'Your key worker or treating doctor will go through it with you and answer your questions. Nothing is decided until you have talked it through together.',
        ],
      },
      { heading: 'What the team was asked', lines: [humanText(row(p, 'referral', 'Question to the board'))] },
      { heading: 'What the team recommends', lines: d.strategyIds.map((id) => `• ${priorityPlainName(id)}`) },
      { heading: 'What happens next', lines: [d.nextSteps ?? 'Your treating team will contact you about the next step.'] },
      { heading: 'Signed', lines: [`Agreed by the team and signed off by the chair on ${formatDate(d.signedAt)}.`, ...amendmentLines(source)] },
    ],
    footer: 'Keep this summary with your other hospital letters.',
  };
}

/** The document as PDF (pdfkit's built-in Helvetica: WinAnsi text). */
export function renderPdf(doc: LetterDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 56, info: { Title: doc.title, Producer: 'Retroplan', Creator: 'Retroplan' } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.font('Helvetica-Bold').fontSize(16).text(doc.title);
    pdf.moveDown(0.8);
    for (const section of doc.sections) {
      pdf.font('Helvetica-Bold').fontSize(11).text(section.heading);
      pdf.font('Helvetica').fontSize(11);
      for (const line of section.lines) pdf.text(line);
      pdf.moveDown(0.6);
    }
    pdf.moveDown(1);
    pdf.font('Helvetica').fontSize(8).fillColor('#555555').text(doc.footer);
    pdf.end();
  });
}
