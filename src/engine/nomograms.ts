import type { Case } from './model/case.ts';
import type { SourceId } from './tables/sources.ts';
import type { HistologyDefinition } from './tables/histology.ts';
import type { Grade } from './model/case.ts';

/**
 * Published nomograms (REFERENCE.md §9). Their coefficients are not published
 * in text, so Retroplan does not re-create them: it lists their inputs, shows
 * which the case has, and says where to compute them.
 */
export interface NomogramInput {
  readonly name: string;
  /** The case field that holds it, when the case model has one. */
  readonly field: string | null;
  readonly present: boolean;
  readonly value?: string;
}

export interface NomogramInfo {
  readonly id: 'sarculator-rps' | 'mskcc-rp-liposarcoma';
  readonly name: string;
  readonly predicts: string;
  readonly applicable: boolean;
  readonly why: string;
  readonly inputs: NomogramInput[];
  readonly where: string;
  readonly sources: SourceId[];
}

function input(name: string, field: string | null, value: string | number | boolean | undefined): NomogramInput {
  return value === undefined ? { name, field, present: false } : { name, field, present: true, value: String(value) };
}

const LIPOSARCOMA_FAMILIES: ReadonlySet<string> = new Set(['wdlps', 'ddlps', 'lps_nos', 'lps_other']);

export function nomogramInputs(c: Case, grade: Grade, histology: HistologyDefinition | undefined): NomogramInfo[] {
  const isLps = histology ? LIPOSARCOMA_FAMILIES.has(histology.family) : false;
  const primary = c.presentation === 'primary';
  return [
    {
      id: 'sarculator-rps',
      name: 'Sarculator — primary RPS nomogram (Gronchi 2013)',
      predicts: '7-year overall survival and disease-free survival after resection of primary RPS (C-index 0.74 for OS)',
      applicable: primary && histology?.category === 'sarcoma',
      why: primary ? (histology?.category === 'sarcoma' ? 'primary retroperitoneal sarcoma' : 'needs an established sarcoma histology') : 'built for primary, not recurrent, RPS',
      inputs: [
        input('age', 'patient.ageYears', c.patient.ageYears),
        input('tumour size', 'tumor.sizeCm', c.tumor.sizeCm),
        input('FNCLCC grade', 'pathology.grade', grade === 'GX' ? undefined : grade),
        input('histology', 'pathology.histology', histology?.name),
        input('multifocality', 'tumor.multifocal', c.tumor.multifocal),
        input('completeness of resection', 'surgery.margin', c.surgery?.margin),
      ],
      where: 'the Sarculator app (Gronchi et al., J Clin Oncol 2013;31:1649)',
      sources: ['GRONCHI-2013'],
    },
    {
      id: 'mskcc-rp-liposarcoma',
      name: 'MSKCC retroperitoneal liposarcoma nomogram (Dalal 2006)',
      predicts: 'disease-specific survival of retroperitoneal liposarcoma',
      applicable: isLps,
      why: isLps ? 'liposarcoma' : 'liposarcoma only',
      inputs: [input('histology (liposarcoma subtype)', 'pathology.histology', histology?.name), { name: 'other inputs: see the published nomogram (not listed in Retroplan’s reference)', field: null, present: false }],
      where: 'the MSKCC sarcoma nomograms (Dalal et al., Ann Surg 2006)',
      sources: ['DALAL-2006'],
    },
  ];
}
