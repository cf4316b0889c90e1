import { ORGANS_BY_ID } from './tables/anatomy.ts';
import { MARKERS, type MarkerName } from './tables/markers.ts';
import { histologyByCode, type DiagnosticCategory } from './tables/histology.ts';
import { PRIORITIES } from './tables/strategy-rules.ts';
import { SOURCES } from './tables/sources.ts';

/**
 * One vocabulary for every human-facing name: the web app, the printed MDT
 * report and the CLI's text report read labels from here, never from ids.
 * Pure (no I/O) so every adapter shares it.
 */

const sentence = (s: string) => s.replace(/^./, (c) => c.toUpperCase());
const fallback = (id: string) => sentence(id.replace(/[_-]+/g, ' ').trim());

/** "kidney_left" → "Left kidney"; "ivc" → "Inferior vena cava". */
export function organName(id: string): string {
  const o = ORGANS_BY_ID.get(id);
  return o ? sentence(o.label) : fallback(id);
}

/** Lower-case form for use inside a sentence ("the left kidney"). */
export function organNameInText(id: string): string {
  const o = ORGANS_BY_ID.get(id);
  return o ? o.label : id.replace(/[_-]+/g, ' ');
}

export function markerName(m: string): string {
  return (MARKERS as Record<string, { label: string }>)[m]?.label ?? m;
}

/**
 * MDM2 and CDK4 are answered either by FISH (amplification) or by
 * immunohistochemistry (staining); the label says which test each answer is.
 */
const AMPLIFICATION_WORDS: Record<string, string> = {
  amplified: 'amplified (FISH)',
  not_amplified: 'not amplified (FISH)',
  positive: 'positive (IHC)',
  negative: 'negative (IHC)',
};
const RESULT_WORDS: Record<string, string> = { positive: 'positive', negative: 'negative', focal: 'focal', lost: 'lost', retained: 'retained' };

export function markerResultName(m: string, result: string): string {
  if (m === 'MDM2' || m === 'CDK4') return AMPLIFICATION_WORDS[result] ?? fallback(result);
  return RESULT_WORDS[result] ?? fallback(result);
}

export function markerResultOptions(m: MarkerName): [value: string, label: string][] {
  return MARKERS[m].results.map((r) => [r, markerResultName(m, r)]);
}

/** "8858/3" → "Dedifferentiated liposarcoma"; unknown codes stay codes. */
export function histologyName(code: string): string {
  const h = histologyByCode(code);
  return h ? sentence(h.name) : code;
}

export function histologyWithCode(code: string): string {
  const h = histologyByCode(code);
  return h ? `${sentence(h.name)} (ICD-O-3 ${code})` : `ICD-O-3 ${code}`;
}

/** Every diagnostic category of the histology table has its name (the type makes a missing one an error). */
const CATEGORY_NAMES = {
  sarcoma: 'sarcoma',
  lymphoma: 'lymphoma',
  germ_cell: 'germ-cell tumour',
  paraganglioma: 'paraganglioma',
  gist: 'GIST',
  desmoid: 'desmoid tumour',
  benign: 'benign tumour',
  carcinoma: 'carcinoma',
  other: 'other tumour',
} as const satisfies Record<DiagnosticCategory | 'other', string>;

const TABLES = {
  specimen: { core_biopsy: 'Core-needle biopsy', resection: 'Resection specimen' },
  status: { workup: 'Work-up', tumour_board: 'Tumour board', treatment: 'Treatment', surveillance: 'Surveillance', closed: 'Closed' },
  side: { left: 'Left', right: 'Right', midline: 'Midline', pelvic: 'Pelvic' },
  sex: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' },
  presentation: { primary: 'Primary', recurrent: 'Recurrent' },
  modality: { CT: 'CT', MRI: 'MRI', 'PET-CT': 'PET-CT', US: 'Ultrasound' },
  identifierKind: { mrn: 'Hospital number (MRN)', national: 'National number', fhir: 'FHIR record', other: 'Other identifier' },
  extension: { spinal_canal: 'Into the spinal canal', right_atrium: 'To the right atrium', sciatic_notch: 'Through the sciatic notch', transdiaphragmatic: 'Across the diaphragm' },
  /** Where an extension reaches, as named inside a sentence ("growth into the spinal canal — spinal canal"). */
  extensionSite: { spinal_canal: 'spinal canal', right_atrium: 'right atrium', sciatic_notch: 'sciatic notch', transdiaphragmatic: 'through the diaphragm' },
  resectionType: { complete: 'complete resection', shell_out: 'shell-out resection', piecemeal: 'piecemeal resection', intralesional: 'intralesional resection', exploratory: 'exploratory operation' },
  ruptureExtent: { focal_capsular_breach: 'focal capsular breach', gross_spillage: 'gross spillage', piecemeal_removal: 'piecemeal removal' },
  frozenSectionTarget: { diagnosis: 'diagnosis', margin: 'margin', nodule: 'separate nodule' },
  frozenSectionResult: { tumour: 'tumour', no_tumour: 'no tumour', indeterminate: 'indeterminate' },
  unresectabilityFinding: {
    peritoneal_deposits: 'peritoneal deposits',
    critical_vessel_no_plane: 'critical vessel without a plane',
    gross_residual_unavoidable: 'gross residue unavoidable',
    distant_metastasis: 'distant metastasis',
  },
  recurrenceSuggestion: {
    'strategic-delay': 'a strategic delay (surveillance CT, then re-resection)',
    're-resection': 'curative-intent re-resection',
    'systemic-first': 'systemic therapy or a trial first',
    'systemic-or-palliative': 'the systemic or palliative pathway',
    mdt: 'an MDT decision once the criteria are known',
  },
  resectability: { resectable: 'Resectable', borderline: 'Borderline resectable', unresectable: 'Unresectable' },
  differentialStatus: { supported: 'supported', possible: 'possible', excluded: 'excluded' },
  failurePattern: { 'local-dominant': 'Local recurrence dominates', 'distant-dominant': 'Distant metastasis dominates', comparable: 'Local and distant failure comparable' },
  vascularAction: { 'resect-and-reconstruct': 'resect and reconstruct', 'dissect-free': 'dissect free' },
  surveillanceRule: {
    'esmo-schedule': 'ESMO follow-up schedule',
    'chest-ct-every-visit': 'Chest CT at every visit',
    'lifelong-liposarcoma': 'Long-term (possibly lifelong) follow-up for liposarcoma',
  },
  evidence: { verified: 'Published evidence', secondary: 'Secondary source', consensus: 'Consensus', illustrative: 'Teaching figure' },
  // What the surgeon can find in theatre (intraoperative.ts, REFERENCE-2 §1), as the theatre screen names it.
  intraopFinding: {
    infiltration: 'Organ infiltrated',
    encasement: 'Vessel encased',
    rupture: 'Tumour rupture or spill',
    frozen_section: 'Frozen section result',
    unresectable: 'Unresectable finding',
    bleeding: 'Bleeding or instability',
    contralateral_kidney_unknown: 'Other kidney function unknown',
  },
  intraopIntent: { 'continue-curative': 'Continue the curative resection', 'stop-and-replan': 'Stop and re-plan at the tumour board' },
  expectedMargin: {
    'macroscopically-complete-possible': 'Macroscopically complete (R0/R1) possible',
    'gross-residual-expected': 'Gross residual (R2) expected',
    'not-determined': 'Not determined yet',
  },
  logKind: { finding: 'Finding', decision: 'Decision', note: 'Note' },
  practiceTopic: {
    diagnosis: 'Diagnosis',
    mimics: 'Mimics (not sarcoma)',
    staging: 'Staging',
    strategy: 'Strategy',
    planning: 'Operative planning',
    intraoperative: 'Intra-operative decisions',
    surveillance: 'Surveillance',
    margins: 'Margins and sampling',
    recurrence: 'Recurrence',
    'surgery-elsewhere': 'Surgery elsewhere',
  },
  // Tumour-board decisions (REFERENCE-2 §9.1–9.2; src/boards/concordance.ts).
  intent: { curative: 'Curative', palliative: 'Palliative', not_determined: 'Not determined' },
  concordance: {
    concordant: 'Concordant with the Retroplan recommendation',
    non_concordant_justified: 'Differs from the Retroplan recommendation, with a reason',
    non_concordant_unjustified: 'Differs from the Retroplan recommendation, no reason given',
    not_applicable: 'No Retroplan recommendation applied',
    not_assessed: 'Not assessed (no structured recommendation)',
  },
  deviationReason: {
    patient_choice: 'Patient choice',
    comorbidity_performance: 'Comorbidity or performance status',
    clinical_trial: 'Clinical trial',
    new_evidence: 'New evidence',
    insufficient_information: 'Insufficient information',
    other: 'Other reason',
  },
  // Referral statuses (store/referrals.ts REFERRAL_STATUSES; REFERENCE-2 §8.3), as the worklist names them.
  referralStatus: {
    sent: 'Sent — awaiting triage',
    info_requested: 'Information requested',
    accepted: 'Accepted',
    declined: 'Declined',
    redirected: 'Redirected',
    scheduled: 'Scheduled for a meeting',
    decided: 'Decision returned',
  },
  category: CATEGORY_NAMES,
} as const satisfies Record<string, Record<string, string>>;
export type VocabularyTable = keyof typeof TABLES;

/** The human name of a coded value of one of the tables above; unknown codes are humanised, never shown raw. */
export function label(table: VocabularyTable, id: string | null | undefined): string {
  if (id === null || id === undefined || id === '') return '';
  return (TABLES[table] as Record<string, string>)[id] ?? fallback(id);
}

/**
 * A structure named inside a sentence: an organ or vessel of the anatomy table, or
 * the site an extension reaches (resectability criteria list both). Never the raw id.
 */
export function structureNameInText(id: string): string {
  const o = ORGANS_BY_ID.get(id);
  if (o) return o.label;
  return (TABLES.extensionSite as Record<string, string>)[id] ?? id.replace(/[_-]+/g, ' ');
}

/** Every coded value of every table above with its human name (for checks that no text shows a code). */
export function vocabularyEntries(): [table: VocabularyTable, id: string, label: string][] {
  return (Object.keys(TABLES) as VocabularyTable[]).flatMap((t) => Object.entries(TABLES[t]).map(([id, name]) => [t, id, name] as [VocabularyTable, string, string]));
}

export function options(table: VocabularyTable): [value: string, label: string][] {
  return Object.entries(TABLES[table]);
}

export function priorityName(id: string): string {
  return (PRIORITIES as Record<string, { label: string }>)[id]?.label ?? fallback(id);
}

/**
 * The strategy priorities in plain language for a patient's written summary (REFERENCE-2 §9.3:
 * the recommendation with a written summary). Same meaning as the clinical label, no jargon.
 */
const PLAIN_PRIORITIES: Record<string, string> = {
  'en-bloc-resection': 'An operation to remove the tumour in one piece, together with any organs it is stuck to.',
  'no-chemotherapy': 'Chemotherapy (cancer medicines) is not recommended for this tumour.',
  'neoadjuvant-chemotherapy': 'Chemotherapy before the operation may be considered, usually within a clinical study.',
  'preoperative-radiotherapy-discussion': 'The team will talk with you about radiotherapy before the operation; it is not routine.',
  'no-radiotherapy': 'Radiotherapy is not recommended.',
  'vein-resection-reconstruction': 'The large vein the tumour grows from will be removed and rebuilt during the operation.',
  'establish-grade': 'More tests on the tissue are needed to find out how fast-growing the tumour is.',
  'core-needle-biopsy': 'A small sample of the tumour will be taken with a needle, guided by a scan.',
  'biochemical-workup': 'Blood or urine tests are needed first, to rule out a hormone-producing tumour.',
  'refer-sarcoma-centre': 'Your care will be led by a specialist sarcoma centre.',
  'mdt-discussion': 'The specialist team will discuss your case before any treatment starts.',
  'no-resection': 'An operation is not recommended.',
  'exclude-first': 'Some other kinds of tumour need to be ruled out first with further tests.',
  'outside-surgery-review': 'The team will review the operation you had at another hospital.',
  surveillance: 'Regular check-ups with scans, on a schedule that suits this tumour.',
  'non-sarcoma-pathway': 'This does not look like a sarcoma: your care will continue with the right specialist team.',
};
export function priorityPlainName(id: string): string {
  return PLAIN_PRIORITIES[id] ?? `${priorityName(id)}.`;
}

/** ECOG performance status in words (Oken et al. 1982). */
const ECOG_WORDS = ['fully active', 'restricted in strenuous activity', 'ambulatory, up > 50 % of the day, no work', 'limited self-care, in bed or chair > 50 % of the day', 'completely disabled'];
export function ecogName(v: number): string {
  return ECOG_WORDS[v] ? `ECOG ${v} — ${ECOG_WORDS[v]}` : `ECOG ${v}`;
}

/**
 * Short citations for the source ids the engine returns. The teaching chapter
 * Retroplan was written from is cited as such, not by its internal id.
 */
const SHORT_CITATIONS: Partial<Record<keyof typeof SOURCES, string>> = {
  AJCC8: 'AJCC 8th ed. 2017',
  FNCLCC: 'Trojani 1984; Guillou 1997',
  'COINDRE-2006': 'Coindre 2006',
  'DEYRUP-2006': 'Deyrup & Weiss 2006',
  CAP: 'CAP soft tissue protocol',
  'TARPSWG-2015': 'TARPSWG 2015',
  'TARPSWG-2021': 'TARPSWG 2021',
  'TARPSWG-REC-2016': 'TARPSWG recurrence 2016',
  'TARPSWG-REC-2022': 'TARPSWG recurrence 2022',
  STRASS: 'STRASS, Bonvalot 2020',
  STREXIT: 'STREXIT, Callegaro 2023',
  STRASS2: 'STRASS2 (EORTC 1809)',
  'GRONCHI-2016': 'Gronchi 2016',
  'GRONCHI-2013': 'Gronchi 2013',
  'DALAL-2006': 'Dalal 2006',
  'HAAS-2019': 'Haas 2019',
  'GLADDY-2013': 'Gladdy 2013',
  'ESMO-2010': 'ESMO 2010',
  'ESMO-2021': 'ESMO–EURACAN–GENTURIS 2021',
  PDQ: 'NCI PDQ',
  'VANDERVEEN-2009': 'Vanderveen 2009',
  'WILKINSON-2015': 'Wilkinson 2015',
  'CHO-2018': 'Cho 2018',
  'WHITE-2005': 'White 2005',
  PATHOLOGYOUTLINES: 'PathologyOutlines',
  'NCDB-VOLUME': 'NCDB volume analyses',
  'SWEDEN-REFERRAL': 'Swedish referral series',
  SEED: 'Retroplan teaching chapter',
};

export function shortCitation(id: string): string {
  return SHORT_CITATIONS[id as keyof typeof SOURCES] ?? fallback(id);
}

export function fullCitation(id: string): string {
  return (SOURCES as Record<string, string>)[id] ?? shortCitation(id);
}

/**
 * Engine texts carry the reference sheet's section marks for developers
 * ("(REFERENCE §3.1 [V] VANDERVEEN-2009)", "[consensus]", "SEED;"): people read
 * the sources as citations instead, so these marks are taken out of displayed text.
 */
export function humanText(text: string): string {
  return text
    .replace(/\s*\((?:REFERENCE(?:-2)?|SEED)\b[^()]*\)/g, '')
    .replace(/\s*\[[VCSI]\]/g, '')
    .replace(/\bREFERENCE(?:-2)?(?:\.md)?\s*§\s*[\d.]+(?:\s*\[[A-Z]\])?/g, '')
    .replace(/\bseed chapter\b/gi, 'teaching chapter')
    .replace(/\bSEED\b[;,]?\s*/g, '')
    .replace(/, lifelong-leaning/g, ', possibly lifelong')
    .replace(/lifelong-leaning/g, 'possibly lifelong')
    .replace(/\(\s*[;,]?\s*\)/g, '')
    .replace(/\s+([.,;)])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Human names of the case model's fields, for errors, history and conflicts. */
const FIELD_NAMES: Record<string, string> = {
  id: 'Case reference',
  presentation: 'Presentation',
  'patient.ageYears': 'Age',
  'patient.sex': 'Sex',
  'patient.name': 'Patient name',
  'patient.dateOfBirth': 'Date of birth',
  'patient.identifiers': 'Hospital number',
  'patient.ecog': 'Performance status (ECOG)',
  'patient.comorbidities': 'Comorbidities',
  'board.question': 'Question to the board',
  'board.referrer': 'Referrer',
  'board.referringHospital': 'Referring hospital',
  'tumor.sizeCm': 'Greatest dimension',
  'tumor.side': 'Side',
  'tumor.multifocal': 'Multifocal',
  'tumor.nodes': 'Regional nodes',
  'tumor.metastasis': 'Distant metastasis',
  'tumor.extension': 'Extension',
  'tumor.contacts': 'Structures in contact',
  'tumor.infiltrates': 'Structures infiltrated',
  'tumor.imaging.macroscopicFat': 'Macroscopic fat',
  'tumor.imaging.solidComponent': 'Solid (non-fatty) component',
  'tumor.imaging.hypervascular': 'Hypervascular',
  'tumor.imaging.calcification': 'Calcification',
  'tumor.imaging.organOfOrigin': 'Organ of origin',
  'tumor.imaging.vesselOrigin': 'Vessel of origin',
  'tumor.imaging.date': 'Imaging date',
  'tumor.imaging.modality': 'Imaging modality',
  'tumor.imaging.series': 'Serial measurements',
  'pathology.specimen': 'Specimen',
  'pathology.histology': 'Histology',
  'pathology.grade': 'Reported grade',
  'pathology.date': 'Pathology date',
  'pathology.fnclcc.differentiation': 'Differentiation score',
  'pathology.fnclcc.mitosesPer10Hpf': 'Mitoses per 10 HPF',
  'pathology.fnclcc.necrosisPercent': 'Necrosis',
  'surgery.margin': 'Resection margin',
  'surgery.date': 'Surgery date',
  history: 'Prior procedures',
  title: 'Title',
  status: 'Status',
};

export function fieldName(path: string): string {
  if (FIELD_NAMES[path]) return FIELD_NAMES[path]!;
  const marker = /^pathology\.markers\.(\w+)$/.exec(path);
  if (marker) return markerName(marker[1]!);
  if (path === 'pathology.markers') return 'Markers';
  // A list item or nested key: name the nearest known parent.
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = parts.slice(0, i).join('.').replace(/\[\d+\]$/, '');
    if (FIELD_NAMES[parent]) return FIELD_NAMES[parent]!;
  }
  return fallback(parts[parts.length - 1]!.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

/** A field's value as people read it ("kidney_left" → "Left kidney", true → "Yes"). */
export function valueText(path: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return 'not recorded';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : valueText(path, v))).join(', ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${fieldName(`${path}.${k}`)}: ${valueText(`${path}.${k}`, v)}`)
      .join('; ');
  }
  const s = String(value);
  const marker = /^pathology\.markers\.(\w+)$/.exec(path);
  if (marker) return markerResultName(marker[1]!, s);
  if (/contacts|infiltrates|organOfOrigin|vesselOrigin/.test(path)) return organName(s);
  if (path === 'pathology.histology') return histologyWithCode(s);
  if (path === 'pathology.specimen') return label('specimen', s);
  if (path === 'status') return label('status', s);
  if (path === 'tumor.side') return label('side', s);
  if (path === 'patient.sex') return label('sex', s);
  if (path === 'presentation') return label('presentation', s);
  if (path === 'tumor.extension') return label('extension', s);
  if (path === 'tumor.imaging.modality') return label('modality', s);
  if (path === 'tumor.sizeCm') return `${s} cm`;
  if (path === 'pathology.fnclcc.necrosisPercent') return `${s} %`;
  return s;
}

/** "tumor.sizeCm" + "must be a positive number" → "Greatest dimension: must be a positive number". */
export function errorText(path: string, message: string): string {
  return `${fieldName(path)}: ${humanText(message)}`;
}

/** Dates as people on a tumour board read them: 1 Mar 2026, one format everywhere. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const d = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const day = dateOnly ? d.getUTCDate() : d.getDate();
  const month = dateOnly ? d.getUTCMonth() : d.getMonth();
  const year = dateOnly ? d.getUTCFullYear() : d.getFullYear();
  return `${day} ${MONTHS[month]} ${year}`;
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${formatDate(d)}, ${hh}:${mm}`;
}
