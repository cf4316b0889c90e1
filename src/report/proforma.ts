import type { Evaluation } from '../engine/index.ts';
import { ecogName, formatDate, histologyWithCode, humanText, label, organName, priorityName, shortCitation } from '../engine/vocabulary.ts';

/**
 * The report model shared by the three renderings (CLI text, server, printed
 * MDT report in the web app). Page 1 of the MDT report is the board proforma:
 * who the patient is, what the board is asked, the findings, the diagnosis with
 * its basis, the stage, the engine's recommendation and the board's decision
 * with attendees and the chair's sign-off. Everything in human wording.
 */
export interface ProformaRow {
  readonly label: string;
  readonly value: string;
  /** Marks a value that rests on an unconfirmed diagnosis. */
  readonly provisional?: boolean;
}

export interface ProformaGroup {
  readonly id: string;
  readonly title: string;
  readonly rows: ProformaRow[];
}

export interface BoardDecision {
  readonly date: string;
  readonly attendees: readonly string[];
  readonly decision: string;
  readonly recordedBy?: string | undefined;
}

export interface ReportMeta {
  readonly title?: string;
  readonly version?: number;
  readonly status?: string;
  readonly printedAt?: Date;
}

export interface Proforma {
  readonly title: string;
  readonly groups: ProformaGroup[];
  readonly safety: string[];
  readonly decisions: BoardDecision[];
  /** "Case version 3 · 1 Mar 2026" for the footer of every page. */
  readonly footer: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((cur, k) => (isObj(cur) ? cur[k] : undefined), o);
const NR = 'not recorded';
const text = (v: unknown): string => (v === undefined || v === null || v === '' ? NR : String(v));
const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : NR);

function identifiers(c: unknown): string {
  const list = at(c, 'patient.identifiers');
  if (!Array.isArray(list) || list.length === 0) return NR;
  return list
    .filter(isObj)
    .map((i) => (i.kind === 'mrn' ? String(i.value) : `${label('identifierKind', String(i.kind))} ${String(i.value)}`))
    .join('; ');
}

function dob(c: unknown): string {
  const d = at(c, 'patient.dateOfBirth');
  const age = at(c, 'patient.ageYears');
  const parts = [typeof d === 'string' ? formatDate(d) : null, typeof age === 'number' ? `${age} years` : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : NR;
}

function imaging(c: unknown): string {
  const date = at(c, 'tumor.imaging.date');
  const modality = at(c, 'tumor.imaging.modality');
  const parts = [typeof modality === 'string' ? label('modality', modality) : null, typeof date === 'string' ? formatDate(date) : null].filter(Boolean);
  return parts.length ? parts.join(', ') : NR;
}

function findings(c: unknown): string {
  const size = at(c, 'tumor.sizeCm');
  const side = at(c, 'tumor.side');
  const bits: string[] = [];
  bits.push(typeof size === 'number' ? `${size} cm` : 'size not recorded');
  if (typeof side === 'string') bits.push(`${label('side', side).toLowerCase()} side`);
  const im = at(c, 'tumor.imaging');
  if (isObj(im)) {
    if (im.macroscopicFat !== undefined) bits.push(`macroscopic fat ${yesNo(im.macroscopicFat)}`);
    if (im.solidComponent !== undefined) bits.push(`solid component ${yesNo(im.solidComponent)}`);
    if (im.hypervascular !== undefined) bits.push(`hypervascular ${yesNo(im.hypervascular)}`);
    if (typeof im.organOfOrigin === 'string') bits.push(`arising from the ${organName(im.organOfOrigin).toLowerCase()}`);
    if (typeof im.vesselOrigin === 'string') bits.push(`arising from the ${organName(im.vesselOrigin).toLowerCase()}`);
  }
  const contacts = at(c, 'tumor.contacts');
  const infiltrates = at(c, 'tumor.infiltrates');
  if (Array.isArray(contacts) && contacts.length) bits.push(`in contact with ${contacts.map((o) => organName(String(o)).toLowerCase()).join(', ')}`);
  if (Array.isArray(infiltrates) && infiltrates.length) bits.push(`infiltrating ${infiltrates.map((o) => organName(String(o)).toLowerCase()).join(', ')}`);
  return bits.join('; ');
}

function diagnosis(e: Evaluation | null, c: unknown): ProformaRow {
  const lead = e?.diagnosis?.leading as (Obj & { name: string; code: string; basis: string }) | null | undefined;
  if (!lead) {
    const code = at(c, 'pathology.histology');
    return { label: 'Diagnosis', value: typeof code === 'string' ? histologyWithCode(code) : 'Not established — no histology yet' };
  }
  const basis = lead.basis === 'pathologist' ? 'pathologist’s diagnosis' : lead.basis === 'molecular' ? 'molecular diagnosis' : 'suspected from imaging and markers, not confirmed by pathology';
  const suspected = lead.certainty === 'suspected' || lead.basis === 'findings';
  return { label: 'Diagnosis', value: `${suspected ? 'Suspected: ' : ''}${histologyWithCode(lead.code)} — ${basis}`, provisional: suspected };
}

function stage(e: Evaluation | null): ProformaRow {
  if (!e) return { label: 'Stage (AJCC 8th edition)', value: NR };
  const s = e.stage as Evaluation['stage'] & { provisional?: boolean };
  const provisional = s.provisional === true || (s.group !== null && e.diagnosis?.isSarcoma !== true);
  const tnm = `${s.t} ${s.n} ${s.m} ${s.g}`;
  return { label: 'Stage (AJCC 8th edition)', value: s.group ? `Stage ${s.group} (${tnm})${provisional ? ' — provisional, diagnosis not confirmed' : ''}` : `Not staged (${tnm})`, provisional };
}

function recommendation(e: Evaluation | null): string {
  if (!e) return NR;
  const p = e.strategy?.priorities ?? [];
  if (e.strategy?.pathway) return humanText(e.strategy.pathway);
  if (p.length === 0) return 'No recommendation yet';
  return p.map((x, i) => `${i + 1}. ${x.label ?? priorityName(x.id)}`).join('  ');
}

export function buildProforma(caseInput: unknown, evaluation: Evaluation | null, meta: ReportMeta = {}, decisions: readonly BoardDecision[] = []): Proforma {
  const c = caseInput;
  const safety = evaluation
    ? [
        ...((evaluation.diagnosis?.redFlags ?? []) as { message: string }[]),
        ...(((evaluation.diagnosis as unknown as Obj | undefined)?.mustExcludeFirst as { message: string }[] | undefined) ?? []),
      ].map((f) => humanText(f.message))
    : [];
  const plan = evaluation?.resectionPlan;
  const groups: ProformaGroup[] = [
    {
      id: 'patient',
      title: 'Patient',
      rows: [
        { label: 'Name', value: text(at(c, 'patient.name')) },
        { label: 'Date of birth / age', value: dob(c) },
        { label: 'Hospital number (MRN)', value: identifiers(c) },
        { label: 'Sex', value: at(c, 'patient.sex') ? label('sex', String(at(c, 'patient.sex'))) : NR },
        { label: 'Performance status', value: typeof at(c, 'patient.ecog') === 'number' ? ecogName(at(c, 'patient.ecog') as number) : NR },
        { label: 'Comorbidities', value: text(at(c, 'patient.comorbidities')) },
      ],
    },
    {
      id: 'referral',
      title: 'Referral',
      rows: [
        { label: 'Referrer', value: [at(c, 'board.referrer'), at(c, 'board.referringHospital')].filter((x) => typeof x === 'string').join(', ') || NR },
        { label: 'Question to the board', value: text(at(c, 'board.question')) },
        { label: 'Presentation', value: label('presentation', String(at(c, 'presentation') ?? 'primary')) },
      ],
    },
    {
      id: 'findings',
      title: 'Findings',
      rows: [
        { label: 'Imaging', value: imaging(c) },
        { label: 'Tumour', value: findings(c) },
        { label: 'Specimen', value: at(c, 'pathology.specimen') ? label('specimen', String(at(c, 'pathology.specimen'))) : 'no tissue yet' },
      ],
    },
    {
      id: 'assessment',
      title: 'Assessment (Retroplan)',
      rows: [
        diagnosis(evaluation, c),
        stage(evaluation),
        { label: 'Grade (FNCLCC)', value: evaluation ? evaluation.grade.grade : NR },
        { label: 'Resectability', value: plan?.resectability.status ? `${label('resectability', plan.resectability.status)}${plan.applies === 'provisional' ? ' — plan provisional' : ''}` : NR, provisional: plan?.applies === 'provisional' },
        { label: 'Recommendation', value: recommendation(evaluation) },
      ],
    },
  ];
  const version = meta.version !== undefined ? `Case version ${meta.version}` : 'Unsaved case';
  return {
    title: meta.title ?? 'Retroperitoneal mass',
    groups,
    safety,
    decisions: [...decisions],
    footer: `${meta.title ? `${meta.title} · ` : ''}${version} · printed ${formatDate(meta.printedAt ?? new Date())}`,
  };
}

/** Sources as citations: short form in the text, full reference in the appendix. */
export function citationList(ids: readonly string[]): string[] {
  return ids.map((id) => shortCitation(id));
}

/** The proforma as plain text (the first part of the CLI report). */
export function renderProformaText(p: Proforma): string[] {
  const lines: string[] = [`MDT proforma — ${p.title}`, ''];
  if (p.safety.length) {
    lines.push('SAFETY FIRST');
    p.safety.forEach((s) => lines.push(`  ! ${s}`));
    lines.push('');
  }
  for (const g of p.groups) {
    lines.push(g.title);
    for (const r of g.rows) lines.push(`  ${r.label}: ${r.value}`);
    lines.push('');
  }
  lines.push('Board decision');
  if (p.decisions.length === 0) lines.push('  not recorded yet');
  for (const d of p.decisions) lines.push(`  ${formatDate(d.date)}: ${d.decision}`, `  Attendees: ${d.attendees.join(', ')}`);
  lines.push('  Chair sign-off: ______________________   Date: __________');
  lines.push('', p.footer);
  return lines;
}
