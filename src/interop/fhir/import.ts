import {
  CLAVIEN_DINDO_GRADES,
  DEATH_CAUSES,
  MARKERS,
  TUMOUR_RESPONSES,
  evaluateCase,
  histologyByCode,
  HISTOLOGIES,
  T_CATEGORIES,
  tCategory,
  validateCase,
  type Case,
  type CaseInput,
  type FieldError,
  type Grade,
  type MarkerName,
  type StageGroup,
} from '../../engine/index.ts';
import {
  CANCER_DISEASE_STATUS_CODE,
  CAUSE_OF_DEATH_CODES,
  CLAVIEN_DINDO_CODE_PREFIX,
  DEATH_CAUSE_CODES,
  ECOG_CODE,
  EXTENSION,
  FOLLOW_UP_EVENT_CODES,
  GRADE_CODES,
  GRADE_VALUES,
  HISTOLOGIC_BEHAVIOR_AND_TYPE_CODE,
  MARKER_NAME_PATTERNS,
  PROFILE,
  RADIOTHERAPY_COURSE_CODE,
  RESPONSE_CODES,
  RETROPLAN_CODES,
  SNOMED_AJCC_VALUES,
  STAGE_GROUP_CODES,
  STAGING_CODES,
  SYSTEM,
  THERAPY_TIMING,
  TUMOR_LONGEST_DIMENSION_CODE,
  TUMOR_SIZE_CODE,
  type Code,
  type StagingBasis,
  type StagingKind,
} from './codes.ts';
import { asArray, asFiniteNumber, asObject, codings, conceptTexts, field, quote, str, type Coding } from './json.ts';
import { indexBundle, type Entry, type ResourceIndex } from './resources.ts';
import { icd10Primary, icd10Secondary, icdo3Topography, siteSourceName, SNOMED_LATERALITY, SNOMED_SECONDARY, snomedBodySite, type SiteClass } from './terminology/sites.ts';
import { isIcd10Family, systemOf } from './terminology/systems.ts';
import { DOSE_UNITS, doseToGy, lengthToCm } from './terminology/units.ts';

/**
 * FHIR R4 Bundle → Retroplan case, with a report of every resource used or
 * ignored and why. Meaning comes from codes only (terminology/*.ts, codes.ts);
 * display text is never interpreted unless the caller opts in (`acceptText`,
 * marker and histology names only). Pure: the date ages are computed at is a parameter.
 */

export interface ImportReport {
  readonly used: { resource: string; as: string }[];
  readonly ignored: { resource: string; reason: string }[];
  readonly notes: string[];
}

export interface RecordedStaging {
  readonly t?: string;
  readonly n?: string;
  readonly m?: string;
  readonly group?: StageGroup;
  /** Which AJCC staging the values above are: pathological preferred when both were recorded. */
  readonly basis?: 'clinical' | 'pathological' | 'unspecified';
  readonly clinical?: { t?: string; n?: string; m?: string; group?: StageGroup };
  readonly pathological?: { t?: string; n?: string; m?: string; group?: StageGroup };
}

export interface ImportResult {
  readonly case: Case;
  readonly report: ImportReport;
  /** True when the bundle holds a retroperitoneal tumour or a sarcoma not coded elsewhere. */
  readonly relevant: boolean;
  /** When a tumour was found but is not retroperitoneal: what was found (HTTP 422, CLI exit 2). */
  readonly rejection?: { reason: string; found: string[] };
  /** The Patient resource's id, or the one subject's id. */
  readonly patientId?: string;
  /** Staging as recorded in the EHR (Retroplan recomputes it from the case). */
  readonly recorded: RecordedStaging;
}

export type ImportOutcome = { ok: true; value: ImportResult } | { ok: false; errors: FieldError[]; kind?: 'input' | 'patient' };

export interface ImportOptions {
  /** The date ages are computed at, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** The patient the caller asked for (CDS `context.patientId`, SMART `patient`): a different Patient is an error. */
  readonly patientId?: string;
  /** The source system (FHIR base URL) the patient id belongs to, stored as the `fhir` identifier. */
  readonly sourceSystem?: string;
  /** Opt-in: read marker and histology names from text when no code is given (reported as text matches). */
  readonly acceptText?: boolean;
}

interface Candidate<T> {
  readonly entry: Entry;
  /** The clinically relevant day (effective[x]), never the `issued` time. */
  readonly effective?: string;
  readonly value: T;
  readonly describe: string;
  readonly date: number | undefined;
  readonly dateText?: string;
  readonly rank: number;
}

type ObservationKind =
  | { kind: 'size' }
  | { kind: StagingKind; basis: StagingBasis }
  | { kind: 'grade' }
  | { kind: 'histology' }
  | { kind: 'differentiation' }
  | { kind: 'mitoses' }
  | { kind: 'necrosis' }
  | { kind: 'margin' }
  | { kind: 'marker'; marker: MarkerName; byText: boolean }
  | { kind: 'ecog' }
  | { kind: 'age' }
  | { kind: 'imaging' }
  | { kind: 'involvement' };

type Parsed<T> = { ok: true; value: T; describe: string; note?: string } | { ok: false; reason: string };

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const MCODE = 'http://hl7.org/fhir/us/mcode/StructureDefinition';
const SECONDARY_PROFILE = `${MCODE}/mcode-secondary-cancer-condition`;
const RELATED_PRIMARY_EXTENSION = `${MCODE}/mcode-related-primary-cancer-condition`;
const LATERALITY_EXTENSION = `${MCODE}/mcode-laterality-qualifier`;
/** SNOMED CT "Gross examination and sampling of tissue specimen" (mCODE IG tumor-size-pathology example). */
const GROSS_EXAMINATION = '787377000';

function dateOf(resource: unknown, keys: readonly string[]): { time: number | undefined; text?: string } {
  for (const key of keys) {
    const period = field(resource, key.replace(/DateTime$/, 'Period'));
    const value = str(resource, key) ?? str(period, 'end') ?? str(period, 'start');
    if (value !== undefined) {
      const time = Date.parse(value);
      if (Number.isFinite(time)) return { time, text: value };
    }
  }
  return { time: undefined };
}

const OBSERVATION_DATE_KEYS = ['effectiveDateTime', 'effectiveInstant', 'issued'] as const;
const CONDITION_DATE_KEYS = ['recordedDate', 'onsetDateTime'] as const;

function isoDay(text: string | undefined): string | undefined {
  const m = text !== undefined ? /^(\d{4}-\d{2}-\d{2})/.exec(text) : null;
  return m ? m[1] : undefined;
}

/** Codings with the system made canonical (urn:oid and other spellings → one URI). */
function canonicalCodings(concept: unknown): Coding[] {
  return codings(concept).map((c) => {
    const id = systemOf(c.system);
    return id ? { ...c, system: canonicalUri(id) } : c;
  });
}

function canonicalUri(id: NonNullable<ReturnType<typeof systemOf>>): string {
  return { snomed: SYSTEM.snomed, loinc: SYSTEM.loinc, ucum: SYSTEM.ucum, icd10: SYSTEM.icd10, icd10cm: SYSTEM.icd10cm, icdo3: SYSTEM.icdo3 }[id];
}

function matchesCode(concept: unknown, code: Code): boolean {
  return canonicalCodings(concept).some((c) => c.system === code.system && c.code === code.code);
}

function hasText(concept: unknown): boolean {
  return conceptTexts(concept).length > 0;
}

function describeCodes(concept: unknown): string {
  const list = codings(concept).map((c) => `${c.system ?? '(no system)'}|${c.code ?? '(no code)'}`);
  return list.length > 0 ? list.slice(0, 3).map((s) => quote(s, 80)).join(', ') : '(none)';
}

/** Any `modifierExtension` anywhere in the resource (FHIR R4 §2.4.1: unknown modifiers make the resource unsafe to process). */
function modifierExtensions(value: unknown, depth = 0): string[] {
  if (depth > 8) return [];
  if (Array.isArray(value)) return value.flatMap((v) => modifierExtensions(v, depth + 1));
  const object = asObject(value);
  if (!object) return [];
  const found: string[] = [];
  for (const [key, v] of Object.entries(object)) {
    if (key === 'modifierExtension') found.push(...asArray(v).map((x) => str(x, 'url') ?? '(no url)'));
    else if (typeof v === 'object' && v !== null) found.push(...modifierExtensions(v, depth + 1));
  }
  return found;
}

export function classifyObservation(obs: Record<string, unknown>, acceptText: boolean): ObservationKind | undefined {
  const code = field(obs, 'code');
  // Canonicalised once: a lifetime record holds hundreds of thousands of observations.
  const list = canonicalCodings(code);
  const has = (c: Code) => list.some((x) => x.code === c.code && x.system === c.system);
  const staging = STAGING_CODES.find((row) => has(row.code));
  if (staging) return { kind: staging.kind, basis: staging.basis };
  if (has(TUMOR_SIZE_CODE) || has(TUMOR_LONGEST_DIMENSION_CODE)) return { kind: 'size' };
  if (GRADE_CODES.some((g) => has(g))) return { kind: 'grade' };
  if (has(ECOG_CODE)) return { kind: 'ecog' };
  if (has(HISTOLOGIC_BEHAVIOR_AND_TYPE_CODE)) return { kind: 'histology' };
  const own = list.find((c) => c.system === SYSTEM.retroplan)?.code;
  if (own === RETROPLAN_CODES.fnclccGrade.code) return { kind: 'grade' };
  if (own === RETROPLAN_CODES.differentiationScore.code) return { kind: 'differentiation' };
  if (own === RETROPLAN_CODES.mitosesPer10Hpf.code) return { kind: 'mitoses' };
  if (own === RETROPLAN_CODES.necrosisPercent.code) return { kind: 'necrosis' };
  if (own === RETROPLAN_CODES.margin.code) return { kind: 'margin' };
  if (own === RETROPLAN_CODES.ageYears.code) return { kind: 'age' };
  if (own === RETROPLAN_CODES.imagingFindings.code) return { kind: 'imaging' };
  if (own === RETROPLAN_CODES.organInvolvement.code) return { kind: 'involvement' };
  if (own?.startsWith('marker-')) {
    const name = own.slice('marker-'.length);
    if (Object.prototype.hasOwnProperty.call(MARKERS, name)) return { kind: 'marker', marker: name as MarkerName, byText: false };
  }
  if (acceptText && codings(code).length === 0) {
    // Opt-in only: a marker named in Observation.code.text. Several names ("MDM2 and CDK4") are ambiguous.
    const texts = conceptTexts(code).join(' | ');
    const markers = (Object.keys(MARKER_NAME_PATTERNS) as MarkerName[]).filter((m) => MARKER_NAME_PATTERNS[m].test(texts));
    if (markers.length === 1) return { kind: 'marker', marker: markers[0]!, byText: true };
  }
  return undefined;
}

/**
 * Observations read by their own branch of the import, not by `classifyObservation`: the mCODE disease
 * status (recurrence, metastasis, response to neoadjuvant therapy), the cause of death and the last contact.
 */
export function isOutcomeObservation(obs: Record<string, unknown>): boolean {
  const list = canonicalCodings(field(obs, 'code'));
  return [CANCER_DISEASE_STATUS_CODE, ...CAUSE_OF_DEATH_CODES, RETROPLAN_CODES.lastContact].some((code) => list.some((c) => c.system === code.system && c.code === code.code));
}

// ——— value parsers (codes only) ———

/** Candidate AJCC category strings (`cT3`, `pN0`, `3B`) from coded values: cancerstaging.org, Retroplan, or SNOMED ids used in mCODE. */
function stagingValueCodes(obs: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const c of canonicalCodings(field(obs, 'valueCodeableConcept'))) {
    if (c.code === undefined) continue;
    if (c.system === SYSTEM.snomed) {
      const mapped = SNOMED_AJCC_VALUES[c.code];
      if (mapped) out.push(mapped);
    } else if (c.system === SYSTEM.cancerstaging || c.system === SYSTEM.retroplan) {
      out.push(c.code.trim());
    }
  }
  return out.filter((s) => s.length > 0 && s.length <= 20);
}

function noCodedValue(obs: Record<string, unknown>): string {
  const concept = field(obs, 'valueCodeableConcept');
  if (codings(concept).length > 0) return `its value code ${describeCodes(concept)} is not one Retroplan reads`;
  if (hasText(concept) || str(obs, 'valueString') !== undefined) return 'text only, not used (the value has no code)';
  return 'it has no coded value';
}

const CATEGORY_PATTERN = { T: /^(y|r|yp|rp|yc|a)?([cp])?T(X|is|[0-4])[a-d]?$/i, N: /^(y|yp|yc)?([cp])?N(X|[0-3])[a-c]?$/i, M: /^(y|yp|yc)?([cp])?M(X|[01])[a-d]?$/i };

function parseCategory(kind: 'T' | 'N' | 'M', obs: Record<string, unknown>): Parsed<string> {
  const values = stagingValueCodes(obs);
  for (const v of values) {
    const m = CATEGORY_PATTERN[kind].exec(v);
    if (!m) continue;
    const category = `${kind}${m[3]!.toUpperCase() === 'IS' ? 'is' : m[3]!.toUpperCase()}`;
    return { ok: true, value: category, describe: `${v} (${category})` };
  }
  return { ok: false, reason: values.length > 0 ? `its value ${quote(values[0])} is not an AJCC ${kind} category` : noCodedValue(obs) };
}

function parseStageGroup(obs: Record<string, unknown>): Parsed<StageGroup> {
  const values = stagingValueCodes(obs);
  for (const v of values) {
    const byCode = STAGE_GROUP_CODES.find((row) => row.code.toLowerCase() === v.toLowerCase());
    if (byCode) return { ok: true, value: byCode.group, describe: `${v} (stage ${byCode.group})` };
  }
  return {
    ok: false,
    reason: values.length > 0 ? `its value ${quote(values[0])} is not an AJCC 8 stage group for retroperitoneal sarcoma (IA, IB, II, IIIA, IIIB, IV)` : noCodedValue(obs),
  };
}

interface SizeValue {
  readonly cm?: number;
  /** A bound, not a measurement: `> 10 cm`. */
  readonly bound?: { comparator: '<' | '<=' | '>=' | '>'; cm: number; tCategories: string[] };
}

/** The T categories a size bound allows (AJCC 8 retroperitoneum: T1 ≤ 5, T2 > 5–10, T3 > 10–15, T4 > 15 cm). */
function tCategoriesFor(comparator: '<' | '<=' | '>=' | '>', cm: number): string[] {
  return T_CATEGORIES.filter((row, i) => {
    const lower = i === 0 ? 0 : T_CATEGORIES[i - 1]!.maxCm;
    const upper = row.maxCm;
    // Row interval (lower, upper]; keep it when it overlaps the bound.
    if (comparator === '>') return upper > cm;
    if (comparator === '>=') return upper >= cm;
    if (comparator === '<') return lower < cm;
    return lower < cm;
  }).map((row) => row.t);
}

function quantityInCm(quantity: unknown): Parsed<SizeValue> {
  const value = asFiniteNumber(field(quantity, 'value'));
  const system = str(quantity, 'system');
  const code = str(quantity, 'code');
  if (value === undefined) return { ok: false, reason: 'the size has no numeric value' };
  if (code === undefined) return { ok: false, reason: `the size unit ${quote(str(quantity, 'unit') ?? '(none)')} has no UCUM code: text only, not used` };
  if (system !== undefined && systemOf(system) !== 'ucum') return { ok: false, reason: `the size unit is not a UCUM code (${quote(system)})` };
  const cm = lengthToCm(value, code);
  if (cm === undefined) return { ok: false, reason: `the size unit ${quote(code)} is not a UCUM length (mm, cm, m, [in_i])` };
  if (!(cm > 0 && cm <= 100)) return { ok: false, reason: `the size ${value} ${code} is outside 0–100 cm` };
  const comparator = str(quantity, 'comparator');
  if (comparator === '<' || comparator === '<=' || comparator === '>=' || comparator === '>') {
    const tCategories = tCategoriesFor(comparator, cm);
    return { ok: true, value: { bound: { comparator, cm, tCategories } }, describe: `${comparator} ${value} ${code}` };
  }
  if (comparator !== undefined) return { ok: false, reason: `the size comparator ${quote(comparator)} is not a FHIR comparator` };
  return { ok: true, value: { cm }, describe: `${value} ${code}` };
}

function parseSize(obs: Record<string, unknown>): Parsed<SizeValue> {
  const longest = asArray(field(obs, 'component')).find((c) => matchesCode(field(c, 'code'), TUMOR_LONGEST_DIMENSION_CODE));
  if (longest !== undefined) return quantityInCm(field(longest, 'valueQuantity'));
  const direct = field(obs, 'valueQuantity');
  if (direct !== undefined) {
    const parsed = quantityInCm(direct);
    return parsed.ok ? { ...parsed, note: 'size read from Observation.valueQuantity (no longest-dimension component 33728-7)' } : parsed;
  }
  return { ok: false, reason: 'it has no longest-dimension component (LOINC 33728-7) with a quantity' };
}

interface GradeValue {
  readonly grade?: Exclude<Grade, 'GX'> | 'GX';
  readonly fnclcc?: { differentiation?: number; mitosesPer10Hpf?: number; necrosisPercent?: number };
}

function componentNumber(obs: unknown, code: Code): number | undefined {
  const component = asArray(field(obs, 'component')).find((c) => matchesCode(field(c, 'code'), code));
  return asFiniteNumber(field(field(component, 'valueQuantity'), 'value')) ?? asFiniteNumber(field(component, 'valueInteger'));
}

function parseGrade(obs: Record<string, unknown>): Parsed<GradeValue> {
  const codes = canonicalCodings(field(obs, 'valueCodeableConcept'));
  const snomed = GRADE_VALUES.find((row) => codes.some((c) => c.system === row.code.system && c.code === row.code.code));
  const own = codes.find((c) => (c.system === SYSTEM.retroplan || c.system === SYSTEM.cancerstaging) && /^G[1-3X]$/.test(c.code ?? ''))?.code as Grade | undefined;
  const grade = snomed?.grade ?? own;
  const differentiation = componentNumber(obs, RETROPLAN_CODES.differentiationScore);
  const mitosesPer10Hpf = componentNumber(obs, RETROPLAN_CODES.mitosesPer10Hpf);
  const necrosisPercent = componentNumber(obs, RETROPLAN_CODES.necrosisPercent);
  const fnclcc = {
    ...(differentiation !== undefined ? { differentiation } : {}),
    ...(mitosesPer10Hpf !== undefined ? { mitosesPer10Hpf } : {}),
    ...(necrosisPercent !== undefined ? { necrosisPercent } : {}),
  };
  const hasComponents = Object.keys(fnclcc).length > 0;
  if (!grade && !hasComponents) {
    return { ok: false, reason: codes.length > 0 ? `its value ${describeCodes(field(obs, 'valueCodeableConcept'))} is not a recognised grade code (SNOMED low/intermediate/high, G1–G3)` : noCodedValue(obs) };
  }
  const describe = [grade ? `grade ${grade}` : undefined, hasComponents ? 'FNCLCC components' : undefined].filter(Boolean).join(' with ');
  return { ok: true, value: { ...(grade ? { grade } : {}), ...(hasComponents ? { fnclcc } : {}) }, describe };
}

function parseNumberValue(obs: Record<string, unknown>): number | undefined {
  const q = field(obs, 'valueQuantity');
  if (str(q, 'comparator') !== undefined) return undefined;
  return asFiniteNumber(field(q, 'value')) ?? asFiniteNumber(field(obs, 'valueInteger'));
}

function parseMitoses(obs: Record<string, unknown>): Parsed<number> {
  const value = parseNumberValue(obs);
  if (value === undefined) return { ok: false, reason: 'the mitotic count has no exact numeric value' };
  const unit = str(field(obs, 'valueQuantity'), 'code') ?? '';
  if (unit === '/mm2') {
    // Per mm² → per 10 HPF of 0.1734 mm² each (1.734 mm²): REFERENCE.md §2 [V] (CAP).
    const per10 = Math.round(value * 1.734);
    return { ok: true, value: per10, describe: `${value} per mm² = ${per10} per 10 HPF`, note: 'mitotic count converted from per mm² to per 10 HPF (× 1.734, CAP) and rounded' };
  }
  if (!Number.isInteger(value)) return { ok: false, reason: 'the mitotic count per 10 HPF is not a whole number' };
  return { ok: true, value, describe: `${value} per 10 HPF` };
}

function marginFromCodes(concept: unknown): 'R0' | 'R1' | 'R2' | undefined {
  const code = codings(concept).map((c) => c.code ?? '').find((c) => /^R[012]$/.test(c));
  return code as 'R0' | 'R1' | 'R2' | undefined;
}

function parseMargin(obs: Record<string, unknown>): Parsed<'R0' | 'R1' | 'R2'> {
  const margin = marginFromCodes(field(obs, 'valueCodeableConcept'));
  return margin ? { ok: true, value: margin, describe: margin } : { ok: false, reason: codings(field(obs, 'valueCodeableConcept')).length > 0 ? 'its value is not the code R0, R1 or R2' : noCodedValue(obs) };
}

/** Marker results from codes: Retroplan's own, and LOINC answers used in the mCODE IG (LA6576-8 positive, LA6577-6 negative). */
const LOINC_MARKER_ANSWERS: Readonly<Record<string, string>> = { 'LA6576-8': 'positive', 'LA6577-6': 'negative' };

/** Opt-in only: a marker result from value text ("amplified", "loss of expression"). */
function markerFromText(allowed: readonly string[], obs: Record<string, unknown>): string | undefined {
  const concept = field(obs, 'valueCodeableConcept');
  const text = [...conceptTexts(concept), str(obs, 'valueString') ?? ''].join(' | ').toLowerCase();
  const codeText = conceptTexts(field(obs, 'code')).join(' ').toLowerCase();
  let result: string | undefined;
  if (allowed.includes('lost')) {
    if (/\b(lost|loss|absent|negative)\b/.test(text)) result = 'lost';
    else if (/\b(retained|preserved|intact|positive|present)\b/.test(text)) result = 'retained';
  } else if (allowed.includes('amplified') && (/ampl/.test(text) || /\b(fish|amplification|copy number)\b/.test(codeText))) {
    if (/\b(not|no|non)[- ]?(amplified|amplification|detected)\b|\bnegative\b/.test(text)) result = 'not_amplified';
    else if (/\b(amplified|amplification|detected|positive)\b/.test(text)) result = 'amplified';
  } else if (/\b(negative|not detected|absent)\b/.test(text)) result = 'negative';
  else if (/\bfocal(ly)?\b/.test(text) && allowed.includes('focal')) result = 'focal';
  else if (/\b(positive|detected|present|expressed)\b/.test(text)) result = 'positive';
  return result !== undefined && allowed.includes(result) ? result : undefined;
}

function parseMarker(marker: MarkerName, obs: Record<string, unknown>, acceptText = false): Parsed<string> {
  const codes = canonicalCodings(field(obs, 'valueCodeableConcept'));
  const allowed = MARKERS[marker].results as readonly string[];
  const own = codes.find((c) => c.system === SYSTEM.retroplan && c.code !== undefined && allowed.includes(c.code));
  if (own) return { ok: true, value: own.code!, describe: `${marker} ${own.code}` };
  const loinc = codes.map((c) => (c.system === SYSTEM.loinc && c.code !== undefined ? LOINC_MARKER_ANSWERS[c.code] : undefined)).find((v) => v !== undefined);
  if (loinc !== undefined && allowed.includes(loinc)) return { ok: true, value: loinc, describe: `${marker} ${loinc}` };
  const byText = acceptText ? markerFromText(allowed, obs) : undefined;
  if (byText !== undefined) return { ok: true, value: byText, describe: `${marker} ${byText} (value text, opt-in)` };
  return { ok: false, reason: codes.length > 0 ? `its value ${describeCodes(field(obs, 'valueCodeableConcept'))} is not a ${marker} result code Retroplan reads (${allowed.join(', ')})` : noCodedValue(obs) };
}

/** Retroplan's imaging-findings observation (its own export): booleans and coded organ/modality components. */
function parseImaging(obs: Record<string, unknown>): Parsed<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const component of asArray(field(obs, 'component'))) {
    const code = codings(field(component, 'code')).find((c) => c.system === SYSTEM.retroplan)?.code;
    const m = code !== undefined ? /^imaging-(macroscopicFat|solidComponent|hypervascular|calcification|vesselOrigin|organOfOrigin|modality)$/.exec(code) : null;
    if (!m) continue;
    const value = field(component, 'valueBoolean');
    if (typeof value === 'boolean') out[m[1]!] = value;
    const coded = codings(field(component, 'valueCodeableConcept')).find((c) => c.system === SYSTEM.retroplan)?.code;
    if (coded !== undefined) out[m[1]!] = coded;
  }
  return Object.keys(out).length > 0 ? { ok: true, value: out, describe: Object.keys(out).join(', ') } : { ok: false, reason: 'no imaging finding component Retroplan reads' };
}

/** Retroplan's organ-involvement observation: components `organ-contact` / `organ-infiltration` with organ ids. */
function parseInvolvement(obs: Record<string, unknown>): Parsed<{ contacts: string[]; infiltrates: string[] }> {
  const contacts: string[] = [];
  const infiltrates: string[] = [];
  for (const component of asArray(field(obs, 'component'))) {
    const code = codings(field(component, 'code')).find((c) => c.system === SYSTEM.retroplan)?.code;
    const organ = codings(field(component, 'valueCodeableConcept')).find((c) => c.system === SYSTEM.retroplan)?.code;
    if (organ === undefined) continue;
    if (code === RETROPLAN_CODES.organContact.code) contacts.push(organ);
    if (code === RETROPLAN_CODES.organInfiltration.code) infiltrates.push(organ);
  }
  return contacts.length + infiltrates.length > 0 ? { ok: true, value: { contacts, infiltrates }, describe: `${contacts.length} contacted, ${infiltrates.length} infiltrated` } : { ok: false, reason: 'no organ component Retroplan reads' };
}

// ——— treatment (issue 14) ———

type Timing = 'neoadjuvant' | 'adjuvant';

/**
 * Neoadjuvant or adjuvant, from codes only (THERAPY_TIMING): `category`, or mCODE's treatmentIntent
 * extension where some senders put the same SNOMED qualifiers. Both timings at once is a contradiction.
 */
function timingOf(resource: Record<string, unknown>): { timing?: Timing; reason?: string } {
  const concepts = [
    ...asArray(field(resource, 'category')),
    ...(asObject(field(resource, 'category')) ? [field(resource, 'category')] : []),
    ...asArray(field(resource, 'extension')).filter((e) => str(e, 'url') === EXTENSION.procedureIntent).map((e) => field(e, 'valueCodeableConcept')),
  ];
  const found = new Set<Timing>();
  for (const c of concepts) for (const t of ['neoadjuvant', 'adjuvant'] as const) if (matchesCode(c, THERAPY_TIMING[t])) found.add(t);
  if (found.size > 1) return { reason: 'it is coded both neoadjuvant and adjuvant' };
  const [timing] = [...found];
  return timing ? { timing } : { reason: 'its timing relative to the resection is not coded (SNOMED CT 373847000 neo-adjuvant or 373846009 adjuvant, in category)' };
}

interface RadiotherapyValue {
  readonly doseGy: number;
  readonly fractions?: number;
}

/** An mCODE radiotherapy course summary's one dose-delivered-to-volume extension → dose in Gy and fractions. */
function parseRadiotherapyCourse(procedure: Record<string, unknown>): Parsed<RadiotherapyValue> {
  const doses = asArray(field(procedure, 'extension')).filter((e) => str(e, 'url') === EXTENSION.radiotherapyDoseDeliveredToVolume);
  if (doses.length === 0) return { ok: false, reason: 'a radiotherapy course without a dose delivered (mCODE dose-delivered-to-volume extension)' };
  // Several volumes (e.g. a boost) have several doses: which is the course dose the case records is not coded.
  if (doses.length > 1) return { ok: false, reason: `a radiotherapy course with doses to ${doses.length} volumes: which one is the course dose is not coded — enter it` };
  const parts = asArray(field(doses[0], 'extension'));
  const part = (url: string) => parts.find((x) => str(x, 'url') === url);
  const quantity = field(part('totalDoseDelivered'), 'valueQuantity');
  const value = asFiniteNumber(field(quantity, 'value'));
  const code = str(quantity, 'code');
  const system = str(quantity, 'system');
  if (value === undefined) return { ok: false, reason: 'the radiotherapy dose has no numeric value' };
  if (str(quantity, 'comparator') !== undefined) return { ok: false, reason: 'the radiotherapy dose is a bound (comparator), not the dose delivered' };
  if (code === undefined) return { ok: false, reason: `the radiotherapy dose unit ${quote(str(quantity, 'unit') ?? '(none)')} has no UCUM code: text only, not used` };
  if (system !== undefined && systemOf(system) !== 'ucum') return { ok: false, reason: `the radiotherapy dose unit is not a UCUM code (${quote(system)})` };
  const doseGy = doseToGy(value, code);
  if (doseGy === undefined) return { ok: false, reason: `the radiotherapy dose unit ${quote(code)} is not one Retroplan reads (UCUM ${DOSE_UNITS.join(', ')})` };
  if (!(doseGy > 0 && doseGy <= 100)) return { ok: false, reason: `the radiotherapy dose ${value} ${code} is outside 0–100 Gy` };
  const fractions = asFiniteNumber(field(part('fractionsDelivered'), 'valueUnsignedInt'));
  const describe = `${doseGy} Gy${code !== 'Gy' ? ` (${value} ${code})` : ''}${fractions !== undefined ? ` in ${fractions} fractions` : ''}`;
  // cGy is mCODE's own unit, so its conversion is shown in the use (`describe`), not raised as a note.
  return { ok: true, value: { doseGy, ...(fractions !== undefined ? { fractions } : {}) }, describe };
}

interface ChemotherapyValue {
  readonly regimen: string;
  readonly cycles?: number;
}

/**
 * A chemotherapy administration → regimen and cycles. The regimen is a name, kept as written (there is no
 * regimen code system to read); it is the medication's text, else a coding's display, else the text of a
 * Medication in the bundle. Cycles only from Retroplan's extension (no standard element exists).
 */
function parseChemotherapy(administration: Record<string, unknown>, index: ResourceIndex): Parsed<ChemotherapyValue> {
  const concept = field(administration, 'medicationCodeableConcept') ?? field(index.resolve(field(administration, 'medicationReference'))?.resource, 'code');
  const name = (str(concept, 'text') ?? codings(concept).map((c) => c.display).find((d) => d !== undefined))?.trim();
  if (!name) return { ok: false, reason: 'the medication has neither a text nor a display to record as the regimen' };
  const cycles = asFiniteNumber(field(asArray(field(administration, 'extension')).find((e) => str(e, 'url') === EXTENSION.chemotherapyCycles), 'valuePositiveInt'));
  return { ok: true, value: { regimen: name.slice(0, 200), ...(cycles !== undefined ? { cycles } : {}) }, describe: `${quote(name)}${cycles !== undefined ? `, ${cycles} cycles` : ''}` };
}

/** The neoadjuvant response from an mCODE disease status: Retroplan's code, or a trend code when the status is part of the neoadjuvant therapy. */
function responseOf(obs: Record<string, unknown>, partOfNeoadjuvant: boolean): (typeof TUMOUR_RESPONSES)[number] | undefined {
  const value = canonicalCodings(field(obs, 'valueCodeableConcept'));
  const has = (code: Code) => value.some((c) => c.system === code.system && c.code === code.code);
  const own = TUMOUR_RESPONSES.find((r) => has(RESPONSE_CODES[r].own));
  if (own || !partOfNeoadjuvant) return own;
  return TUMOUR_RESPONSES.find((r) => has(RESPONSE_CODES[r].trend) || value.some((c) => c.system === SYSTEM.snomed && (RESPONSE_CODES[r].alsoRead as readonly string[]).includes(c.code ?? '')));
}

function deathCauseOf(obs: Record<string, unknown>): (typeof DEATH_CAUSES)[number] | undefined {
  const value = canonicalCodings(field(obs, 'valueCodeableConcept'));
  const has = (code: Code) => value.some((c) => c.system === code.system && c.code === code.code);
  // Retroplan's own code first: it is exact where the SNOMED qualifier ("other", "unknown") is only beside it.
  return DEATH_CAUSES.find((cause) => has(DEATH_CAUSE_CODES[cause][0])) ?? DEATH_CAUSES.find((cause) => DEATH_CAUSE_CODES[cause].slice(1).some(has));
}

// ——— conditions ———

function normaliseMorphology(code: string): string | undefined {
  const m = /^(\d{4})\/?([012369])$/.exec(code.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

const HISTOLOGY_NAMES = [...HISTOLOGIES]
  .map((h) => ({ code: h.code, name: h.name.toLowerCase().replace(/,? nos$/, '').replace(/tumour/g, 'tumor') }))
  .sort((a, b) => b.name.length - a.name.length);

function histologyFromText(text: string): string | undefined {
  const t = text.toLowerCase().replace(/tumour/g, 'tumor');
  return HISTOLOGY_NAMES.find((h) => new RegExp(`\\b${h.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(t))?.code;
}

function histologyFromConcept(concept: unknown, acceptText: boolean): { code: string; how: string } | undefined {
  for (const c of canonicalCodings(concept)) {
    if (c.system === SYSTEM.icdo3 && c.code !== undefined) {
      const code = normaliseMorphology(c.code);
      if (code) return { code, how: `ICD-O-3 ${code}` };
    }
  }
  if (acceptText && codings(concept).every((c) => systemOf(c.system) !== 'icdo3')) {
    for (const text of conceptTexts(concept)) {
      const code = histologyFromText(text);
      if (code) return { code, how: `matched by name ${quote(text)} → ${code} (text, accepted by opt-in; no ICD-O-3 code)` };
    }
  }
  return undefined;
}

interface SiteFinding {
  readonly site: SiteClass | 'unrecognised' | 'text' | 'none';
  readonly found: string[];
  readonly laterality?: 'left' | 'right' | 'bilateral';
}

const SITE_ORDER: readonly SiteFinding['site'][] = ['elsewhere', 'unrecognised', 'retroperitoneum', 'retroperitoneal_organ', 'ambiguous', 'text', 'none'];

/** The site of a primary tumour from Condition.bodySite (ICD-O-3 topography, SNOMED CT) and Condition.code (ICD-10/-CM). */
function siteOf(condition: Record<string, unknown>): SiteFinding {
  const findings: { site: SiteFinding['site']; what: string }[] = [];
  let laterality: SiteFinding['laterality'];
  for (const bodySite of asArray(field(condition, 'bodySite'))) {
    const list = codings(bodySite);
    for (const c of list) {
      const id = systemOf(c.system);
      if (c.code === undefined) continue;
      if (id === 'icdo3') {
        const row = icdo3Topography(c.code);
        findings.push(row ? { site: row.site, what: `bodySite ${siteSourceName(row, id)} (${c.code})` } : { site: 'unrecognised', what: `bodySite ICD-O-3 ${quote(c.code)}` });
      } else if (id === 'snomed') {
        const lat = SNOMED_LATERALITY[c.code];
        if (lat) {
          laterality = lat;
          continue;
        }
        const row = snomedBodySite(c.code);
        findings.push(row ? { site: row.site, what: `bodySite ${siteSourceName(row, id)} (SNOMED ${c.code})` } : { site: 'unrecognised', what: `bodySite SNOMED CT ${c.code} (not in Retroplan's table of retroperitoneal structures)` });
      } else {
        findings.push({ site: 'unrecognised', what: `bodySite code ${quote(`${c.system ?? ''}|${c.code}`, 80)}` });
      }
    }
    if (list.length === 0 && hasText(bodySite)) findings.push({ site: 'text', what: 'bodySite text only, not used' });
    for (const ext of asArray(field(bodySite, 'extension'))) {
      if (str(ext, 'url') !== LATERALITY_EXTENSION) continue;
      const c = canonicalCodings(field(ext, 'valueCodeableConcept')).find((x) => x.system === SYSTEM.snomed && x.code !== undefined && SNOMED_LATERALITY[x.code]);
      if (c) laterality = SNOMED_LATERALITY[c.code!];
    }
  }
  for (const c of codings(field(condition, 'code'))) {
    const id = systemOf(c.system);
    if (c.code === undefined || !isIcd10Family(id)) continue;
    const row = icd10Primary(c.code);
    if (row) findings.push({ site: row.site, what: `code ${siteSourceName(row, id!)} (${c.code})` });
  }
  if (findings.length === 0) return { site: 'none', found: [], ...(laterality ? { laterality } : {}) };
  const site = SITE_ORDER.find((s) => findings.some((f) => f.site === s))!;
  return { site, found: findings.map((f) => f.what), ...(laterality ? { laterality } : {}) };
}

function histologyExtension(condition: Record<string, unknown>): unknown {
  const ext = asArray(field(condition, 'extension')).find((e) => str(e, 'url') === EXTENSION.histologyMorphologyBehavior);
  return field(ext, 'valueCodeableConcept');
}

function statusCode(concept: unknown): string | undefined {
  if (typeof concept === 'string') return concept;
  return codings(concept)[0]?.code;
}

function profiles(resource: Record<string, unknown>): string[] {
  return asArray(field(field(resource, 'meta'), 'profile')).filter((p): p is string => typeof p === 'string').map((p) => p.split('|')[0]!);
}

/** A secondary (metastatic) cancer condition: mCODE profile or extension, ICD-10 C77–C79, or a SNOMED secondary neoplasm. */
function secondaryOf(condition: Record<string, unknown>): { site: string; nodal: boolean; how: string } | undefined {
  for (const c of codings(field(condition, 'code'))) {
    const id = systemOf(c.system);
    if (c.code === undefined) continue;
    if (isIcd10Family(id)) {
      const row = icd10Secondary(c.code);
      if (row) return { site: row.label, nodal: row.nodal, how: `${id === 'icd10cm' ? 'ICD-10-CM' : 'ICD-10'} ${c.code}` };
    }
    if (id === 'snomed' && SNOMED_SECONDARY[c.code]) return { site: SNOMED_SECONDARY[c.code]!, nodal: false, how: `SNOMED CT ${c.code}` };
  }
  const byProfile = profiles(condition).includes(SECONDARY_PROFILE);
  const byExtension = asArray(field(condition, 'extension')).some((e) => str(e, 'url') === RELATED_PRIMARY_EXTENSION);
  if (byProfile || byExtension) {
    const site = asArray(field(condition, 'bodySite'))
      .flatMap((b) => codings(b))
      .map((c) => (systemOf(c.system) === 'snomed' && c.code ? snomedBodySite(c.code)?.label : undefined))
      .find((s) => s !== undefined);
    return { site: site ?? 'site not coded', nodal: false, how: byProfile ? 'mCODE secondary cancer condition profile' : 'mCODE related-primary-cancer-condition extension' };
  }
  return undefined;
}

/** A condition that is a cancer by its codes (ICD-10 C/D neoplasm, ICD-O-3 morphology, or an mCODE primary cancer profile). */
function isCancerCondition(condition: Record<string, unknown>): boolean {
  if (profiles(condition).includes(PROFILE.primaryCancerCondition)) return true;
  if (histologyFromConcept(histologyExtension(condition), false) || histologyFromConcept(field(condition, 'code'), false)) return true;
  return codings(field(condition, 'code')).some((c) => isIcd10Family(systemOf(c.system)) && /^(C|D[0-4])/i.test(c.code ?? ''));
}

// ——— the importer ———

/** FHIR Observation.status: final/amended/corrected outrank preliminary (FHIR R4 ObservationStatus). */
const OBSERVATION_STATUS_RANK: Readonly<Record<string, number>> = { final: 2, amended: 2, corrected: 2, preliminary: 1 };

function pickBest<T>(kind: string, candidates: Candidate<T>[], report: ImportReport): Candidate<T> | undefined {
  if (candidates.length === 0) return undefined;
  const sorted = [...candidates].sort((a, b) => b.rank - a.rank || (b.date ?? -Infinity) - (a.date ?? -Infinity) || b.entry.index - a.entry.index);
  const [best, ...others] = sorted;
  for (const o of others) {
    const why = o.rank < best!.rank ? `a preliminary result: the final ${kind} ${best!.entry.label} is used` : `superseded: the later ${kind} ${best!.entry.label}${best!.dateText ? ` (${best!.dateText})` : ''} is used`;
    report.ignored.push({ resource: o.entry.label, reason: why });
  }
  if (others.length > 0) report.notes.push(`${candidates.length} ${kind} observations: ${best!.entry.label} is used.`);
  if (best!.rank < 2) report.notes.push(`${best!.entry.label}: the ${kind} is preliminary.`);
  return best;
}

function ageAt(birthDate: string, asOf: string): { age: number; approximate: boolean } | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate);
  const now = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!m || !now) return undefined;
  const [by, bm, bd] = [Number(m[1]), m[2] ? Number(m[2]) : 12, m[3] ? Number(m[3]) : 31];
  const [ny, nm, nd] = [Number(now[1]), Number(now[2]), Number(now[3])];
  // Without month/day the latest possible birthday is assumed: the age is a lower bound.
  const age = ny - by - (nm < bm || (nm === bm && nd < bd) ? 1 : 0);
  return { age, approximate: !m[3] };
}

/** HL7 v2 table 0203 identifier types → the case model's identifier kinds. */
const IDENTIFIER_TYPE_KIND: Readonly<Record<string, 'mrn' | 'national'>> = { MR: 'mrn', NI: 'national', NH: 'national', SS: 'national', NNxxx: 'national' };

type PatientIdentifier = { kind: 'mrn' | 'national' | 'fhir' | 'other'; system?: string; value: string };

function identifiersOf(patient: Record<string, unknown>): PatientIdentifier[] {
  const out: PatientIdentifier[] = [];
  for (const i of asArray(field(patient, 'identifier'))) {
    const value = str(i, 'value')?.trim();
    if (!value || value.length > 200) continue;
    const system = str(i, 'system')?.trim();
    const typeCodings = codings(field(i, 'type'));
    const own = typeCodings.find((c) => c.system === SYSTEM.retroplan)?.code;
    const typeCode = typeCodings.map((c) => c.code ?? '').find((c) => c !== '');
    const kind =
      own === RETROPLAN_CODES.sourceFhirId.code ? 'fhir' : own === RETROPLAN_CODES.nationalId.code ? 'national'
      : typeCode !== undefined ? (IDENTIFIER_TYPE_KIND[typeCode] ?? (/^NN[A-Z]{3}$/.test(typeCode) ? 'national' : 'other')) : 'other';
    out.push({ kind, ...(system && system.length <= 500 ? { system } : {}), value });
  }
  return out;
}

function nameOf(patient: Record<string, unknown>): string | undefined {
  const name = asArray(field(patient, 'name'))[0];
  const text = str(name, 'text') ?? [...asArray(field(name, 'given')).filter((g): g is string => typeof g === 'string'), str(name, 'family')].filter(Boolean).join(' ');
  const trimmed = text?.trim();
  return trimmed && trimmed.length <= 200 ? trimmed : undefined;
}

type Draft = {
  patient: NonNullable<CaseInput['patient']> & { identifiers?: PatientIdentifier[] };
  tumor: NonNullable<CaseInput['tumor']>;
  pathology: NonNullable<CaseInput['pathology']>;
  presentation?: 'primary' | 'recurrent';
  surgery?: { margin?: 'R0' | 'R1' | 'R2'; date?: string; clavienDindo?: (typeof CLAVIEN_DINDO_GRADES)[number] };
  treatment?: NonNullable<CaseInput['treatment']>;
  followUp?: NonNullable<CaseInput['followUp']>;
};

function importEntries(index: ResourceIndex, options: ImportOptions, report: ImportReport): ImportOutcome {
  const entries = index.entries;
  const used = (entry: Entry, as: string) => report.used.push({ resource: entry.label, as });
  /** Follow-up events read from disease-status observations and the patient's death date. */
  const followUpEvents: NonNullable<NonNullable<CaseInput['followUp']>['events']> = [];
  const ignore = (entry: Entry, reason: string) => report.ignored.push({ resource: entry.label, reason });
  for (const s of index.superseded) report.ignored.push({ resource: s.label, reason: s.reason });
  for (const u of index.unreadable) report.ignored.push({ resource: u.where, reason: u.reason });
  const acceptText = options.acceptText === true;

  // ——— one patient per case ———
  const patients = entries.filter((e) => e.type === 'Patient');
  let patient: Entry | undefined;
  if (options.patientId !== undefined) {
    patient = patients.find((p) => str(p.resource, 'id') === options.patientId);
    const other = patients.find((p) => str(p.resource, 'id') !== options.patientId);
    if (!patient && other) {
      return { ok: false, kind: 'patient', errors: [{ path: 'patient', message: `the data is about ${other.label}, not the requested Patient/${options.patientId}` }] };
    }
  } else if (patients.length > 1) {
    return { ok: false, kind: 'patient', errors: [{ path: 'entry', message: `the bundle holds ${patients.length} patients (${patients.slice(0, 3).map((p) => p.label).join(', ')}): import one patient at a time` }] };
  } else {
    patient = patients[0];
  }
  for (const extra of patients) if (extra !== patient) ignore(extra, `another patient: only ${patient ? patient.label : `Patient/${options.patientId}`} is read`);

  const subjectOf = (e: Entry) => field(e.resource, 'subject') ?? field(e.resource, 'patient');
  let subjectKey: string | undefined;
  if (patient) {
    subjectKey = `Patient/${str(patient.resource, 'id') ?? ''}`;
  } else if (options.patientId !== undefined) {
    subjectKey = `Patient/${options.patientId}`;
  } else {
    const keys = new Set(entries.filter((e) => e.type !== 'Patient').map((e) => index.subjectKey(subjectOf(e))).filter((k): k is string => k !== undefined));
    if (keys.size > 1) {
      return { ok: false, kind: 'patient', errors: [{ path: 'entry', message: `the bundle has no Patient and its resources are about ${keys.size} different subjects (${[...keys].slice(0, 3).join(', ')}): exactly one is required` }] };
    }
    subjectKey = [...keys][0];
  }
  const patientMatches = (e: Entry): 'same' | 'other' | 'none' => {
    const ref = subjectOf(e);
    if (ref === undefined) return 'none';
    const key = index.subjectKey(ref);
    if (key === undefined) return 'none';
    if (key === subjectKey) return 'same';
    const resolved = index.resolve(ref);
    if (patient && resolved === patient) return 'same';
    // An absolute reference to the same id on the source server, or an identifier reference matching the Patient.
    if (patient && key.startsWith('identifier|')) {
      const [, system, value] = key.split('|');
      if (asArray(field(patient.resource, 'identifier')).some((i) => str(i, 'value') === value && (system === '' || str(i, 'system') === system))) return 'same';
    }
    return 'other';
  };

  const draft: Draft = { patient: {}, tumor: {}, pathology: {} };
  const provenance = new Map<string, string>();

  if (patient) {
    const unknown = modifierExtensions(patient.resource);
    if (unknown.length > 0) {
      ignore(patient, `unknown modifierExtension ${quote(unknown[0])}: its meaning may change the resource, so it is not used`);
    } else {
      const gender = str(patient.resource, 'gender');
      const parts: string[] = [];
      if (gender === 'male' || gender === 'female' || gender === 'other' || gender === 'unknown') {
        draft.patient.sex = gender;
        provenance.set('patient.sex', patient.label);
        parts.push(`patient.sex = ${gender}`);
      }
      const birthDate = str(patient.resource, 'birthDate');
      if (birthDate !== undefined) {
        const age = ageAt(birthDate, options.asOf);
        if (age && age.age >= 0 && age.age <= 120) {
          draft.patient.ageYears = age.age;
          provenance.set('patient.ageYears', patient.label);
          parts.push(`patient.ageYears = ${age.age} (born ${birthDate}, as of ${options.asOf})`);
          if (age.approximate) report.notes.push(`The birth date ${birthDate} is partial: age ${age.age} is the youngest it can be.`);
          else {
            draft.patient.dateOfBirth = birthDate;
            provenance.set('patient.dateOfBirth', patient.label);
          }
        } else {
          report.notes.push(`The birth date ${quote(birthDate)} gives no age from 0 to 120 years as of ${options.asOf}; age not set.`);
        }
      }
      const name = nameOf(patient.resource);
      if (name !== undefined) {
        draft.patient.name = name;
        provenance.set('patient.name', patient.label);
        parts.push('patient.name');
      }
      const identifiers = identifiersOf(patient.resource);
      const id = str(patient.resource, 'id');
      const base = options.sourceSystem ?? (patient.fullUrl && /^https?:\/\//.test(patient.fullUrl) ? patient.fullUrl.replace(/\/Patient\/[^/]+(\/_history\/.*)?$/, '') : undefined);
      const exportLocal = str(field(patient.resource, 'meta'), 'source') === 'urn:retroplan:export';
      const known = identifiers.some((i) => i.kind === 'fhir' && i.value === id && (i.system ?? '') === (base ?? ''));
      if (!exportLocal && !known && id !== undefined && /^[A-Za-z0-9\-.]{1,64}$/.test(id)) identifiers.push({ kind: 'fhir', ...(base ? { system: base } : {}), value: id });
      if (identifiers.length > 0) {
        draft.patient.identifiers = identifiers.slice(0, 20);
        provenance.set('patient.identifiers', patient.label);
        parts.push(`patient.identifiers (${identifiers.map((i) => i.kind).join(', ')})`);
      }
      const deceased = isoDay(str(patient.resource, 'deceasedDateTime'));
      if (deceased !== undefined) {
        followUpEvents.push({ type: 'death', date: deceased });
        parts.push(`followUp.events death ${deceased} (Patient.deceasedDateTime)`);
      }
      if (str(patient.resource, 'deceasedDateTime') !== undefined || field(patient.resource, 'deceasedBoolean') === true) report.notes.push(`${patient.label} is recorded as deceased.`);
      if (parts.length > 0) used(patient, parts.join('; '));
      else ignore(patient, 'it has neither a usable gender, birth date, name nor identifier');
    }
  }

  // ——— conditions ———
  type ConditionValue = { histology?: { code: string; how: string }; site: SiteFinding; recurrent: boolean; unconfirmed: boolean };
  const conditions: Candidate<ConditionValue>[] = [];
  const cancerElsewhere: Entry[] = [];
  const rejectedFindings: string[] = [];
  const metastases: { entry: Entry; site: string; nodal: boolean; how: string }[] = [];
  const observations: Entry[] = [];
  const procedures: Entry[] = [];
  const radiotherapyCourses: Entry[] = [];
  const chemotherapy: Entry[] = [];
  const medications: Entry[] = [];
  const others: Entry[] = [];

  for (const entry of entries) {
    if (entry.type === 'Patient') continue;
    const whose = patientMatches(entry);
    if (whose === 'other') {
      ignore(entry, `its subject is not the patient being imported (${subjectKey ?? 'unknown'})`);
      continue;
    }
    if (whose === 'none' && entry.type !== 'BodyStructure' && subjectKey !== undefined) report.notes.push(`${entry.label} names no subject; it is read as ${subjectKey}'s (the bundle's only patient).`);
    const unknown = modifierExtensions(entry.resource);
    if (unknown.length > 0) {
      ignore(entry, `unknown modifierExtension ${quote(unknown[0])}: its meaning may change the resource, so it is not used`);
      continue;
    }
    if (entry.type === 'Condition') {
      const verification = statusCode(field(entry.resource, 'verificationStatus'));
      if (verification === 'entered-in-error' || verification === 'refuted') {
        ignore(entry, `its verification status is ${verification}`);
        continue;
      }
      const clinical = statusCode(field(entry.resource, 'clinicalStatus'));
      const secondary = secondaryOf(entry.resource);
      if (secondary) {
        if (clinical === 'resolved' || clinical === 'inactive' || clinical === 'remission') ignore(entry, `a metastasis (${secondary.how}) whose clinical status is ${clinical}: not current`);
        else metastases.push({ entry, ...secondary });
        continue;
      }
      const code = field(entry.resource, 'code');
      const histology = histologyFromConcept(histologyExtension(entry.resource), acceptText) ?? histologyFromConcept(code, acceptText);
      const site = siteOf(entry.resource);
      const sarcoma = histology ? histologyByCode(histology.code)?.category === 'sarcoma' : false;
      const cancer = isCancerCondition(entry.resource) || sarcoma;
      if (codings(code).length === 0 && !histology && site.found.length === 0) {
        ignore(entry, hasText(code) ? 'text only, not used (Condition.code has no code)' : 'it has no code');
        continue;
      }
      if (site.site === 'elsewhere' || site.site === 'unrecognised') {
        if (cancer) {
          cancerElsewhere.push(entry);
          if (sarcoma || profiles(entry.resource).includes(PROFILE.primaryCancerCondition) || codings(code).some((c) => /^C49/i.test(c.code ?? ''))) {
            rejectedFindings.push(`${entry.label}: ${site.found.join('; ')}${histology ? `; ${histology.how}` : ''}`);
          }
        }
        ignore(entry, `its site is not the retroperitoneum (${site.found.join('; ')})`);
        continue;
      }
      const retro = site.site === 'retroperitoneum' || site.site === 'retroperitoneal_organ';
      if (!retro && !sarcoma) {
        if (cancer) cancerElsewhere.push(entry);
        ignore(entry, histology ? `not a sarcoma and no retroperitoneal site (${histology.how}${site.found.length ? `; ${site.found.join('; ')}` : ''})` : `neither a retroperitoneal site nor a sarcoma histology (codes ${describeCodes(code)})`);
        continue;
      }
      if (clinical === 'resolved' || clinical === 'inactive' || clinical === 'remission') {
        ignore(entry, `its clinical status is ${clinical}: a past tumour, not read as the current one`);
        report.notes.push(`${entry.label} is a ${clinical} retroperitoneal tumour or sarcoma (history).`);
        continue;
      }
      const { time, text } = dateOf(entry.resource, CONDITION_DATE_KEYS);
      const unconfirmed = verification === 'provisional' || verification === 'differential' || verification === 'unconfirmed';
      conditions.push({ entry, value: { ...(histology ? { histology } : {}), site, recurrent: clinical === 'recurrence' || clinical === 'relapse', unconfirmed }, describe: '', date: time, rank: unconfirmed ? 1 : 2, ...(text ? { dateText: text } : {}) });
      continue;
    }
    if (entry.type === 'Observation') observations.push(entry);
    else if (entry.type === 'Procedure') (matchesCode(field(entry.resource, 'code'), RADIOTHERAPY_COURSE_CODE) ? radiotherapyCourses : procedures).push(entry);
    else if (entry.type === 'MedicationAdministration') chemotherapy.push(entry);
    else if (entry.type === 'BodyStructure' || entry.type === 'Specimen') others.push(entry);
    else if (entry.type === 'Medication') medications.push(entry);
    else ignore(entry, `Retroplan does not read ${entry.type} resources`);
  }

  const condition = pickBest('primary cancer condition', conditions, report);
  for (const other of conditions) if (other !== condition && other.entry !== condition?.entry) cancerElsewhere.push(other.entry);

  // ——— which observations belong to the primary: focus, mCODE related condition, Condition.stage.assessment, or BodyStructure → condition ———
  const assessedBy = new Map<Entry, Entry>();
  for (const e of entries) {
    if (e.type !== 'Condition') continue;
    for (const stage of asArray(field(e.resource, 'stage'))) {
      for (const a of asArray(field(stage, 'assessment'))) {
        const target = index.resolve(a);
        if (target) assessedBy.set(target, e);
      }
    }
  }
  const linkedConditions = (e: Entry): { conditions: Entry[]; unresolved: boolean } => {
    const refs = [
      ...asArray(field(e.resource, 'focus')),
      ...asArray(field(e.resource, 'extension')).filter((x) => str(x, 'url') === EXTENSION.relatedCondition).map((x) => field(x, 'valueReference')),
    ];
    const out: Entry[] = [];
    let unresolved = false;
    for (const ref of refs) {
      const target = index.resolve(ref);
      if (!target) {
        unresolved = true;
        continue;
      }
      if (target.type === 'Condition') out.push(target);
      else if (target.type === 'BodyStructure') {
        for (const x of asArray(field(target.resource, 'extension'))) {
          if (str(x, 'url') !== EXTENSION.relatedCondition) continue;
          const c = index.resolve(field(x, 'valueReference'));
          if (c?.type === 'Condition') out.push(c);
        }
      }
    }
    const assessed = assessedBy.get(e);
    if (assessed) out.push(assessed);
    return { conditions: out, unresolved };
  };

  // ——— neoadjuvant and adjuvant therapy: recognised by resource type or the course code, timed by codes only ———
  /** Every therapy resource coded neoadjuvant (used or not): a disease status part of one is the neoadjuvant response. */
  const neoadjuvantTimed = new Set<Entry>();
  /** The mCODE radiotherapy volume each used course names. */
  const radiotherapyVolumes = new Map<Entry, Entry>();
  const treatsOtherCancer = (e: Entry): string | undefined => {
    const reasons = asArray(field(e.resource, 'reasonReference')).map((r) => index.resolve(r)).filter((x): x is Entry => x?.type === 'Condition');
    if (reasons.length > 0 && !(condition && reasons.includes(condition.entry))) return `it treats ${reasons[0]!.label}, not the retroperitoneal tumour`;
    if (reasons.length === 0 && cancerElsewhere.length > 0) return `it names no reason linked to the retroperitoneal tumour and the patient has another cancer condition (${cancerElsewhere[0]!.label})`;
    return undefined;
  };
  type TherapyKind = 'chemotherapy' | 'radiotherapy';
  // Chemotherapy being given or stopped early was still given; a radiotherapy course still in progress has no course dose yet.
  const GIVEN: Record<TherapyKind, readonly string[]> = { chemotherapy: ['completed', 'in-progress', 'stopped'], radiotherapy: ['completed', 'stopped'] };
  const therapies = new Map<string, { entry: Entry; value: ChemotherapyValue | RadiotherapyValue; describe: string; note?: string }[]>();
  for (const [kind, list] of [['chemotherapy', chemotherapy], ['radiotherapy', radiotherapyCourses]] as const) {
    for (const e of list) {
      const status = str(e.resource, 'status') ?? '';
      if (!GIVEN[kind].includes(status)) {
        ignore(e, `its status is ${quote(status || '(none)')}: not ${kind} given (${GIVEN[kind].join(', ')})`);
        continue;
      }
      const when = timingOf(e.resource);
      if (!when.timing) {
        ignore(e, `${kind === 'chemotherapy' ? 'a medication administration' : 'a radiotherapy course'}: ${when.reason}`);
        continue;
      }
      const other = treatsOtherCancer(e);
      if (other) {
        ignore(e, other);
        continue;
      }
      if (when.timing === 'neoadjuvant') neoadjuvantTimed.add(e);
      const parsed = kind === 'chemotherapy' ? parseChemotherapy(e.resource, index) : parseRadiotherapyCourse(e.resource);
      if (!parsed.ok) {
        ignore(e, parsed.reason);
        continue;
      }
      const key = `${when.timing}:${kind}`;
      therapies.set(key, [...(therapies.get(key) ?? []), { entry: e, value: parsed.value, describe: parsed.describe, ...(parsed.note ? { note: parsed.note } : {}) }]);
    }
  }
  for (const timing of ['neoadjuvant', 'adjuvant'] as const) {
    for (const kind of ['chemotherapy', 'radiotherapy'] as const) {
      const found = therapies.get(`${timing}:${kind}`) ?? [];
      if (found.length > 1) {
        // The case holds one regimen or course per phase; several (e.g. one administration per drug and day) are not merged by guess.
        for (const f of found) ignore(f.entry, `one of ${found.length} ${timing} ${kind} resources: the case records one ${kind === 'chemotherapy' ? 'regimen' : 'course'} per phase — enter it`);
        report.notes.push(`${found.length} ${timing} ${kind} resources were found; none is read — enter the ${timing} ${kind}.`);
        continue;
      }
      const only = found[0];
      if (!only) continue;
      const phase = { ...((draft.treatment as Record<string, object> | undefined)?.[timing] ?? {}), [kind]: only.value };
      draft.treatment = { ...(draft.treatment ?? {}), [timing]: phase };
      provenance.set(`treatment.${timing}.${kind}`, only.entry.label);
      if (only.note) report.notes.push(`${only.entry.label}: ${only.note}.`);
      used(only.entry, `treatment.${timing}.${kind} = ${only.describe}`);
      const medication = index.resolve(field(only.entry.resource, 'medicationReference'));
      if (medication?.type === 'Medication') used(medication, `the regimen of ${only.entry.label}`);
      if (kind === 'radiotherapy') {
        const dose = asArray(field(only.entry.resource, 'extension')).find((x) => str(x, 'url') === EXTENSION.radiotherapyDoseDeliveredToVolume);
        const volume = index.resolve(field(asArray(field(dose, 'extension')).find((x) => str(x, 'url') === 'volume'), 'valueReference'));
        if (volume) radiotherapyVolumes.set(volume, only.entry);
      }
    }
  }
  for (const m of medications) if (!report.used.some((u) => u.resource === m.label)) ignore(m, 'a medication no chemotherapy that was read refers to');
  const responses: { entry: Entry; response: (typeof TUMOUR_RESPONSES)[number] }[] = [];
  const deathCauses: { entry: Entry; cause: (typeof DEATH_CAUSES)[number]; date?: string }[] = [];
  const lastContacts: { entry: Entry; date: string }[] = [];

  const buckets: Record<string, Candidate<unknown>[]> = {};
  const add = (key: string, candidate: Candidate<unknown>) => (buckets[key] ??= []).push(candidate);
  for (const entry of observations) {
    const status = str(entry.resource, 'status') ?? '';
    if (status === 'entered-in-error' || status === 'cancelled') {
      ignore(entry, `its status is ${status}`);
      continue;
    }
    const rank = OBSERVATION_STATUS_RANK[status];
    if (rank === undefined) {
      ignore(entry, `its status is ${quote(status || '(none)')}: not a result (final, amended, corrected or preliminary)`);
      continue;
    }
    const observationCodes = canonicalCodings(field(entry.resource, 'code'));
    if (CAUSE_OF_DEATH_CODES.some((code) => observationCodes.some((c) => c.system === code.system && c.code === code.code))) {
      const cause = deathCauseOf(entry.resource);
      const date = isoDay(dateOf(entry.resource, ['effectiveDateTime']).text);
      if (cause === undefined) {
        const value = field(entry.resource, 'valueCodeableConcept');
        ignore(entry, codings(value).length > 0 ? `a cause of death whose value ${describeCodes(value)} is not one Retroplan reads (sarcoma, treatment, other, unknown)` : `a cause of death: ${noCodedValue(entry.resource)}`);
        continue;
      }
      deathCauses.push({ entry, cause, ...(date ? { date } : {}) });
      continue;
    }
    if (observationCodes.some((c) => c.system === RETROPLAN_CODES.lastContact.system && c.code === RETROPLAN_CODES.lastContact.code)) {
      const date = isoDay(str(entry.resource, 'valueDateTime')) ?? isoDay(dateOf(entry.resource, ['effectiveDateTime']).text);
      if (date === undefined) ignore(entry, 'a last contact without a date');
      else lastContacts.push({ entry, date });
      continue;
    }
    if (observationCodes.some((c) => c.system === CANCER_DISEASE_STATUS_CODE.system && c.code === CANCER_DISEASE_STATUS_CODE.code)) {
      // The response to neoadjuvant therapy: Retroplan's code, or a trend code in a status that is part of neoadjuvant therapy.
      const partOfNeoadjuvant = asArray(field(entry.resource, 'partOf')).some((r) => {
        const target = index.resolve(r);
        return target !== undefined && neoadjuvantTimed.has(target);
      });
      const response = responseOf(entry.resource, partOfNeoadjuvant);
      if (response !== undefined) {
        responses.push({ entry, response });
        continue;
      }
      // mCODE CancerDiseaseStatus: read back only what says which event it records (Retroplan's own code beside the trend).
      const value = canonicalCodings(field(entry.resource, 'valueCodeableConcept'));
      const type = (Object.keys(FOLLOW_UP_EVENT_CODES) as (keyof typeof FOLLOW_UP_EVENT_CODES)[]).find((k) => value.some((c) => c.system === FOLLOW_UP_EVENT_CODES[k].system && c.code === FOLLOW_UP_EVENT_CODES[k].code));
      const date = isoDay(dateOf(entry.resource, ['effectiveDateTime']).text);
      if (type === undefined || date === undefined) {
        ignore(entry, type === undefined ? 'a disease status Retroplan does not read: it does not say whether it records a local recurrence or a distant metastasis (Retroplan code beside the trend), nor is it the response to neoadjuvant therapy (Retroplan code, or partOf a neoadjuvant therapy)' : 'a disease status without an effective date');
        continue;
      }
      const site = str(field(entry.resource, 'bodySite'), 'text');
      followUpEvents.push({ type, date, ...(site ? { site: site.slice(0, 200) } : {}) });
      used(entry, `followUp.events ${type} ${date}`);
      continue;
    }
    const kind = classifyObservation(entry.resource, acceptText);
    if (!kind) {
      const code = field(entry.resource, 'code');
      ignore(entry, codings(code).length === 0 && hasText(code) ? 'text only, not used (Observation.code has no code)' : `an observation Retroplan does not read (code ${describeCodes(code)})`);
      continue;
    }
    if (kind.kind === 'ecog' || kind.kind === 'age') {
      // About the patient, not the tumour: no condition link needed.
      const v = kind.kind === 'ecog' ? asFiniteNumber(field(entry.resource, 'valueInteger')) : parseNumberValue(entry.resource);
      const unit = str(field(entry.resource, 'valueQuantity'), 'code');
      const valid = kind.kind === 'ecog' ? v !== undefined && Number.isInteger(v) && v >= 0 && v <= 4 : v !== undefined && unit === 'a' && v >= 0 && v <= 120;
      if (!valid) {
        ignore(entry, kind.kind === 'ecog' ? 'the ECOG value is not an integer from 0 to 4' : 'the age is not a number of years (UCUM a) from 0 to 120');
        continue;
      }
      const { time, text } = dateOf(entry.resource, OBSERVATION_DATE_KEYS);
      add(kind.kind, { entry, value: v, describe: `${kind.kind === 'ecog' ? 'ECOG' : 'age'} ${v}`, date: time, rank, ...(text ? { dateText: text } : {}) });
      continue;
    }
    const links = linkedConditions(entry);
    if (links.conditions.length > 0 && !(condition && links.conditions.includes(condition.entry))) {
      ignore(entry, `it is about ${links.conditions[0]!.label}, not the retroperitoneal tumour`);
      continue;
    }
    if (links.conditions.length === 0 && cancerElsewhere.length > 0) {
      ignore(entry, `it is not linked to the retroperitoneal tumour (no focus or related condition) and the patient has another cancer condition (${cancerElsewhere[0]!.label})`);
      continue;
    }
    let parsed: Parsed<unknown>;
    let key: string = kind.kind;
    switch (kind.kind) {
      case 'size': parsed = parseSize(entry.resource); break;
      case 'T': case 'N': case 'M': parsed = parseCategory(kind.kind, entry.resource); key = `${kind.kind}:${kind.basis}`; break;
      case 'group': parsed = parseStageGroup(entry.resource); key = `group:${kind.basis}`; break;
      case 'grade': parsed = parseGrade(entry.resource); break;
      case 'histology': {
        const h = histologyFromConcept(field(entry.resource, 'valueCodeableConcept'), acceptText);
        parsed = h ? { ok: true, value: h, describe: h.how } : { ok: false, reason: 'its value is not an ICD-O-3 morphology code' };
        break;
      }
      case 'differentiation': {
        const v = parseNumberValue(entry.resource);
        parsed = v === 1 || v === 2 || v === 3 ? { ok: true, value: v, describe: `differentiation score ${v}` } : { ok: false, reason: 'the differentiation score is not 1, 2 or 3' };
        break;
      }
      case 'mitoses': parsed = parseMitoses(entry.resource); break;
      case 'necrosis': {
        const v = parseNumberValue(entry.resource);
        parsed = v !== undefined && v >= 0 && v <= 100 ? { ok: true, value: v, describe: `necrosis ${v} %` } : { ok: false, reason: 'the necrosis is not an exact percentage from 0 to 100' };
        break;
      }
      case 'margin': parsed = parseMargin(entry.resource); break;
      case 'imaging': parsed = parseImaging(entry.resource); break;
      case 'involvement': parsed = parseInvolvement(entry.resource); break;
      case 'marker':
        key = `marker:${kind.marker}`;
        parsed = parseMarker(kind.marker, entry.resource, acceptText);
        if (!parsed.ok && kind.byText) parsed = { ok: false, reason: `${parsed.reason} (marker name read from text by opt-in)` };
        if (parsed.ok && kind.byText) parsed = { ...parsed, note: `${kind.marker} recognised by the name in Observation.code text (opt-in; no code)` };
        break;
    }
    if (!parsed.ok) {
      ignore(entry, parsed.reason);
      continue;
    }
    if (links.conditions.length === 0 && condition) report.notes.push(`${entry.label} names no condition; it is read as about the only cancer condition, ${condition.entry.label}.`);
    if (parsed.note) report.notes.push(`${entry.label}: ${parsed.note}.`);
    const { time, text } = dateOf(entry.resource, OBSERVATION_DATE_KEYS);
    const effective = isoDay(dateOf(entry.resource, ['effectiveDateTime']).text);
    add(key, { entry, value: parsed.value, describe: parsed.describe, date: time, rank, ...(text ? { dateText: text } : {}), ...(effective ? { effective } : {}) });
  }

  if (condition) {
    const v = condition.value;
    const parts = [`primary tumour (${v.site.found.length > 0 ? v.site.found.join('; ') : 'site not coded'})`];
    if (v.site.site === 'retroperitoneal_organ') report.notes.push(`${condition.entry.label} is coded at a retroperitoneal organ (${v.site.found.join('; ')}): a primary tumour of that organ must be excluded.`);
    if (v.site.site === 'ambiguous') report.notes.push(`${condition.entry.label}: the coded site (${v.site.found.join('; ')}) does not establish a retroperitoneal origin; it is read because the histology is a sarcoma — confirm the site.`);
    if (v.site.site === 'none' || v.site.site === 'text') report.notes.push(`${condition.entry.label} has no coded site; it is read because the histology is a sarcoma — confirm that it is retroperitoneal.`);
    if (v.unconfirmed) report.notes.push(`${condition.entry.label}: the diagnosis is not confirmed (verification status).`);
    if (v.histology) {
      draft.pathology.histology = v.histology.code;
      provenance.set('pathology.histology', condition.entry.label);
      parts.push(`pathology.histology = ${v.histology.code} (${v.histology.how})`);
      if (!histologyByCode(v.histology.code)) report.notes.push(`Histology ${v.histology.code} is not in Retroplan's table.`);
    } else {
      const snomedMorphology = canonicalCodings(histologyExtension(condition.entry.resource)).find((c) => c.system === SYSTEM.snomed);
      if (snomedMorphology) report.notes.push(`${condition.entry.label}: morphology SNOMED CT ${snomedMorphology.code} is not read (no verified SNOMED → ICD-O-3 mapping in Retroplan): enter the ICD-O-3 histology.`);
    }
    if (v.site.laterality === 'left' || v.site.laterality === 'right') {
      draft.tumor.side = v.site.laterality;
      provenance.set('tumor.side', condition.entry.label);
      parts.push(`tumor.side = ${v.site.laterality}`);
    }
    if (v.recurrent) {
      draft.presentation = 'recurrent';
      provenance.set('presentation', condition.entry.label);
      parts.push('presentation = recurrent');
    }
    used(condition.entry, parts.join('; '));
  }

  const take = <T>(key: string, label: string, apply: (value: T, c: Candidate<T>) => string | undefined) => {
    const chosen = pickBest(label, (buckets[key] ?? []) as Candidate<T>[], report);
    if (!chosen) return undefined;
    const as = apply(chosen.value, chosen);
    if (as !== undefined) used(chosen.entry, as);
    return chosen;
  };
  const setPathologyDate = (c: Candidate<unknown>) => {
    const day = c.effective;
    if (day && (draft.pathology.date === undefined || day > draft.pathology.date)) draft.pathology.date = day;
  };

  take<{ code: string; how: string }>('histology', 'histologic type', (h, c) => {
    if (draft.pathology.histology !== undefined) {
      if (draft.pathology.histology !== h.code) report.notes.push(`${c.entry.label} gives histology ${h.code} but the condition gives ${draft.pathology.histology}; the condition's is used.`);
      ignore(c.entry, 'the histology is taken from the primary cancer condition');
      return undefined;
    }
    draft.pathology.histology = h.code;
    provenance.set('pathology.histology', c.entry.label);
    setPathologyDate(c);
    return `pathology.histology = ${h.code} (${h.how})`;
  });

  let sizeBound: SizeValue['bound'];
  take<SizeValue>('size', 'tumour size', (s, c) => {
    const gross = canonicalCodings(field(c.entry.resource, 'method')).some((x) => x.system === SYSTEM.snomed && x.code === GROSS_EXAMINATION);
    const day = c.effective;
    if (s.bound) {
      sizeBound = s.bound;
      report.notes.push(
        `${c.entry.label}: the size is ${c.describe}, a bound and not a measurement — tumor.sizeCm is left unset; AJCC 8 T would be ${s.bound.tCategories.join(' or ')}.`,
      );
      return `size bound ${c.describe} (T ${s.bound.tCategories.join('/')}; not a measurement, sizeCm unset)`;
    }
    draft.tumor.sizeCm = s.cm;
    provenance.set('tumor.sizeCm', c.entry.label);
    if (day) {
      if (gross) draft.pathology.date ??= day;
      else draft.tumor.imaging = { ...(draft.tumor.imaging ?? {}), date: day };
    }
    return `tumor.sizeCm = ${s.cm} (${c.describe}${gross ? ', gross pathology' : ''})`;
  });

  take<number>('ecog', 'ECOG performance status', (v, c) => {
    draft.patient.ecog = v as 0 | 1 | 2 | 3 | 4;
    provenance.set('patient.ecog', c.entry.label);
    return `patient.ecog = ${v} (LOINC 89247-1)`;
  });
  take<number>('age', 'age', (v, c) => {
    if (draft.patient.ageYears !== undefined) {
      ignore(c.entry, 'the age is computed from the birth date');
      return undefined;
    }
    draft.patient.ageYears = v;
    provenance.set('patient.ageYears', c.entry.label);
    return `patient.ageYears = ${v}`;
  });
  take<Record<string, unknown>>('imaging', 'imaging findings', (v, c) => {
    draft.tumor.imaging = { ...(draft.tumor.imaging ?? {}), ...v };
    provenance.set('tumor.imaging', c.entry.label);
    const day = c.effective;
    if (day && draft.tumor.imaging.date === undefined) draft.tumor.imaging.date = day;
    return `tumor.imaging (${c.describe})`;
  });
  take<{ contacts: string[]; infiltrates: string[] }>('involvement', 'organ involvement', (v, c) => {
    if (v.contacts.length > 0) draft.tumor.contacts = v.contacts as never;
    if (v.infiltrates.length > 0) draft.tumor.infiltrates = v.infiltrates as never;
    provenance.set('tumor.contacts', c.entry.label);
    provenance.set('tumor.infiltrates', c.entry.label);
    return `tumor.contacts/infiltrates (${c.describe})`;
  });

  // ——— staging: clinical and pathological kept apart; pathological preferred when both exist ———
  const recordedBy: Record<'clinical' | 'pathological' | 'unspecified', { t?: string; n?: string; m?: string; group?: StageGroup }> = { clinical: {}, pathological: {}, unspecified: {} };
  const stagingCandidates: Record<string, Candidate<unknown> | undefined> = {};
  for (const basis of ['pathological', 'clinical', 'unspecified'] as const) {
    for (const kind of ['T', 'N', 'M', 'group'] as const) {
      const chosen = pickBest(`${basis} ${kind === 'group' ? 'stage group' : `${kind} category`}`, buckets[`${kind}:${basis}`] ?? [], report);
      if (!chosen) continue;
      stagingCandidates[`${kind}:${basis}`] = chosen;
      (recordedBy[basis] as Record<string, unknown>)[kind === 'group' ? 'group' : kind.toLowerCase()] = chosen.value;
    }
  }
  const hasAny = (b: keyof typeof recordedBy) => Object.keys(recordedBy[b]).length > 0;
  const basis: 'clinical' | 'pathological' | 'unspecified' | undefined = hasAny('pathological') ? 'pathological' : hasAny('clinical') ? 'clinical' : hasAny('unspecified') ? 'unspecified' : undefined;
  const recorded: { t?: string; n?: string; m?: string; group?: StageGroup } = basis ? { ...recordedBy[basis] } : {};
  for (const [key, c] of Object.entries(stagingCandidates)) {
    if (!c) continue;
    const [kind, b] = key.split(':') as [string, 'clinical' | 'pathological' | 'unspecified'];
    if (b !== basis) {
      used(c.entry, `recorded ${b} ${kind === 'group' ? 'stage group' : `${kind} category`} ${c.describe} (kept apart; the ${basis} staging is read)`);
      continue;
    }
    if (kind === 'T') {
      const t = c.value as string;
      const size = draft.tumor.sizeCm;
      if (size !== undefined && tCategory(size) !== t && t !== 'TX') report.notes.push(`The recorded ${t} (${c.entry.label}) disagrees with the size ${size} cm, which gives ${tCategory(size)}; Retroplan stages from the size.`);
      else if (size === undefined) report.notes.push(`The recorded ${t} cannot set the tumour size Retroplan stages from: enter the greatest dimension in cm.`);
      if (sizeBound && !sizeBound.tCategories.includes(t) && t !== 'TX') report.notes.push(`The recorded ${t} does not fit the size bound ${sizeBound.comparator} ${sizeBound.cm} cm.`);
      used(c.entry, `recorded ${basis} T category ${c.describe} (cross-check; T is computed from tumor.sizeCm)`);
    } else if (kind === 'N') {
      const n = c.value as string;
      if (n === 'N0' || n === 'N1') {
        draft.tumor.nodes = n;
        provenance.set('tumor.nodes', c.entry.label);
        used(c.entry, `tumor.nodes = ${n} (${basis}: ${c.describe})`);
      } else ignore(c.entry, n === 'NX' ? 'NX: nodal status not assessed (AJCC 8 counts unknown nodal status as N0; left unset)' : `${n} is not an AJCC 8 soft tissue sarcoma N category (N0 or N1)`);
    } else if (kind === 'M') {
      const m = c.value as string;
      if (m === 'M0' || m === 'M1') {
        draft.tumor.metastasis = m;
        provenance.set('tumor.metastasis', c.entry.label);
        used(c.entry, `tumor.metastasis = ${m} (${basis}: ${c.describe})`);
      } else ignore(c.entry, `${m} is not an AJCC 8 M category (M0 or M1)`);
    } else {
      used(c.entry, `recorded ${basis} stage group ${c.describe} (cross-check; Retroplan computes the stage)`);
    }
  }
  if (hasAny('pathological') && hasAny('clinical')) report.notes.push('Both clinical and pathological staging were recorded; the pathological staging is read and the clinical one kept apart.');

  // ——— metastases recorded as conditions (mCODE secondary cancer condition) → M1 ———
  for (const m of metastases) {
    if (m.nodal) {
      ignore(m.entry, `a lymph node metastasis (${m.how}): whether the nodes are regional (N1) or distant (M1) is not coded — enter it`);
      continue;
    }
    if (!condition) {
      ignore(m.entry, `a metastasis (${m.how}, ${m.site}) without a retroperitoneal primary in the bundle`);
      continue;
    }
    const related = asArray(field(m.entry.resource, 'extension')).find((e) => str(e, 'url') === RELATED_PRIMARY_EXTENSION);
    const primary = related ? index.resolve(field(related, 'valueReference')) : undefined;
    if (primary && primary !== condition.entry) {
      ignore(m.entry, `a metastasis of ${primary.label}, not of the retroperitoneal tumour`);
      continue;
    }
    if (!primary && cancerElsewhere.length > 0) {
      ignore(m.entry, `a metastasis (${m.site}) not linked to a primary, and the patient has another cancer (${cancerElsewhere[0]!.label}): not attributed — review`);
      continue;
    }
    if (draft.tumor.metastasis === 'M0') report.notes.push(`${m.entry.label} records a distant metastasis (${m.site}) although the recorded M category is M0; M1 is used — review.`);
    draft.tumor.metastasis = 'M1';
    provenance.set('tumor.metastasis', m.entry.label);
    used(m.entry, `tumor.metastasis = M1 (distant metastasis: ${m.site}; ${m.how})`);
  }

  const fnclccParts: { differentiation?: number; mitosesPer10Hpf?: number; necrosisPercent?: number } = {};
  const fnclccFrom: string[] = [];
  take<GradeValue>('grade', 'histologic grade', (g, c) => {
    const parts: string[] = [];
    const f = g.fnclcc;
    const complete = f !== undefined && f.differentiation !== undefined && f.mitosesPer10Hpf !== undefined && f.necrosisPercent !== undefined;
    // With the complete FNCLCC components the grade is Retroplan's to compute, not a separate recorded value.
    if (g.grade !== undefined && !complete) {
      draft.pathology.grade = g.grade;
      provenance.set('pathology.grade', c.entry.label);
      parts.push(`pathology.grade = ${g.grade}`);
    }
    if (g.fnclcc) {
      Object.assign(fnclccParts, g.fnclcc);
      fnclccFrom.push(c.entry.label);
      parts.push('FNCLCC components');
    }
    setPathologyDate(c);
    return parts.join('; ');
  });
  take<number>('differentiation', 'differentiation score', (v, c) => {
    fnclccParts.differentiation = v;
    fnclccFrom.push(c.entry.label);
    return `FNCLCC differentiation score ${v}`;
  });
  take<number>('mitoses', 'mitotic count', (v, c) => {
    fnclccParts.mitosesPer10Hpf = v;
    fnclccFrom.push(c.entry.label);
    return `FNCLCC mitotic count ${c.describe}`;
  });
  take<number>('necrosis', 'necrosis', (v, c) => {
    fnclccParts.necrosisPercent = v;
    fnclccFrom.push(c.entry.label);
    return `FNCLCC necrosis ${v} %`;
  });
  const { differentiation, mitosesPer10Hpf, necrosisPercent } = fnclccParts;
  if ((differentiation === 1 || differentiation === 2 || differentiation === 3) && mitosesPer10Hpf !== undefined && necrosisPercent !== undefined) {
    draft.pathology.fnclcc = { differentiation, mitosesPer10Hpf, necrosisPercent };
    provenance.set('pathology.fnclcc', fnclccFrom.join(', '));
  } else if (fnclccFrom.length > 0) {
    const missing = [differentiation === undefined ? 'differentiation' : '', mitosesPer10Hpf === undefined ? 'mitotic count' : '', necrosisPercent === undefined ? 'necrosis' : ''].filter(Boolean);
    report.notes.push(`FNCLCC components are incomplete (missing ${missing.join(', ')}): the grade is not computed from them.`);
  }

  take<'R0' | 'R1' | 'R2'>('margin', 'surgical margin', (margin, c) => {
    draft.surgery = { ...(draft.surgery ?? {}), margin };
    provenance.set('surgery.margin', c.entry.label);
    return `surgery.margin = ${margin}`;
  });

  const markers: Record<string, string> = {};
  for (const marker of Object.keys(MARKERS) as MarkerName[]) {
    take<string>(`marker:${marker}`, `${marker} result`, (result, c) => {
      markers[marker] = result;
      provenance.set(`pathology.markers.${marker}`, c.entry.label);
      setPathologyDate(c);
      return `pathology.markers.${marker} = ${result}`;
    });
  }
  if (Object.keys(markers).length > 0) draft.pathology.markers = markers as NonNullable<CaseInput['pathology']>['markers'];

  for (const p of procedures) {
    const status = str(p.resource, 'status');
    if (status !== 'completed') {
      ignore(p, `its status is ${quote(status ?? '(none)')}: not a completed procedure`);
      continue;
    }
    const margin = marginFromCodes(field(p.resource, 'outcome'));
    const day = isoDay(dateOf(p.resource, ['performedDateTime']).text);
    const clavienDindo = asArray(field(p.resource, 'complication'))
      .flatMap((c) => codings(c))
      .map((c) => (c.system === SYSTEM.retroplan && c.code?.startsWith(CLAVIEN_DINDO_CODE_PREFIX) ? c.code.slice(CLAVIEN_DINDO_CODE_PREFIX.length) : undefined))
      .find((g): g is (typeof CLAVIEN_DINDO_GRADES)[number] => (CLAVIEN_DINDO_GRADES as readonly string[]).includes(g ?? ''));
    if (clavienDindo !== undefined && draft.surgery?.clavienDindo === undefined) {
      draft.surgery = { ...(draft.surgery ?? {}), clavienDindo };
      provenance.set('surgery.clavienDindo', p.label);
    }
    if (margin && draft.surgery?.margin === undefined) {
      draft.surgery = { ...(draft.surgery ?? {}), margin, ...(day ? { date: day } : {}) };
      provenance.set('surgery.margin', p.label);
      used(p, `surgery.margin = ${margin} (Procedure.outcome code)${day ? `; surgery.date = ${day}` : ''}`);
    } else if (draft.surgery?.margin !== undefined && day && linkedTo(p, condition?.entry, index)) {
      draft.surgery = { ...draft.surgery, date: day };
      used(p, `surgery.date = ${day}`);
    } else {
      ignore(p, draft.surgery?.margin !== undefined ? 'the margin is taken from the margin observation' : codings(field(p.resource, 'outcome')).length === 0 && hasText(field(p.resource, 'outcome')) ? 'text only, not used (Procedure.outcome has no code)' : 'a procedure without a margin code (R0/R1/R2) in its outcome');
    }
  }

  if (responses.length === 1) {
    const [{ entry, response }] = responses as [(typeof responses)[number]];
    draft.treatment = { ...(draft.treatment ?? {}), neoadjuvant: { ...(draft.treatment?.neoadjuvant ?? {}), response } };
    provenance.set('treatment.neoadjuvant.response', entry.label);
    used(entry, `treatment.neoadjuvant.response = ${response}`);
  } else if (responses.length > 1) {
    for (const r of responses) ignore(r.entry, `one of ${responses.length} responses to neoadjuvant therapy: which one holds is not decided — enter it`);
  }

  const seen = new Set<string>();
  const events = followUpEvents.filter((e) => !seen.has(`${e.type}|${e.date}`) && seen.add(`${e.type}|${e.date}`));
  // A cause of death belongs to the death on its date (Patient.deceasedDateTime); without a recorded death, its date is the death's.
  for (const d of deathCauses) {
    const deaths = events.filter((e): e is Extract<typeof e, { type: 'death' }> => e.type === 'death');
    const death = d.date !== undefined ? deaths.find((e) => e.date === d.date) : deaths.length === 1 ? deaths[0] : undefined;
    if (death === undefined) {
      if (deaths.length === 0 && d.date !== undefined) {
        events.push({ type: 'death', date: d.date, cause: d.cause });
        used(d.entry, `followUp.events death ${d.date} with cause ${d.cause} (the cause of death observation's date)`);
      } else {
        ignore(d.entry, deaths.length > 0 ? `a cause of death dated ${d.date ?? '(no date)'}, not on the recorded death (${deaths.map((e) => e.date).join(', ')})` : 'a cause of death without a date, and no death is recorded');
      }
      continue;
    }
    if (death.cause !== undefined && death.cause !== d.cause) {
      ignore(d.entry, `another cause of death (${d.cause}) than ${death.cause}, already read for ${death.date}`);
      continue;
    }
    death.cause = d.cause;
    used(d.entry, `followUp.events death ${death.date}: cause = ${d.cause}`);
  }
  if (events.length > 0) {
    draft.followUp = { ...(draft.followUp ?? {}), events: events.sort((a, b) => a.date.localeCompare(b.date)).slice(0, 100) };
    provenance.set('followUp.events', 'disease status and cause of death observations, Patient.deceasedDateTime');
  }
  // The last contact is the latest date the patient was known alive.
  const latest = [...lastContacts].sort((a, b) => b.date.localeCompare(a.date) || b.entry.index - a.entry.index);
  if (latest[0]) {
    draft.followUp = { ...(draft.followUp ?? {}), lastContactDate: latest[0].date };
    provenance.set('followUp.lastContactDate', latest[0].entry.label);
    used(latest[0].entry, `followUp.lastContactDate = ${latest[0].date}`);
    for (const l of latest.slice(1)) ignore(l.entry, `an earlier last contact: ${latest[0].entry.label} (${latest[0].date}) is used`);
  }

  // mCODE Tumor (BodyStructure) of the primary: its laterality; a tumour Specimen: core biopsy or resection.
  for (const e of others) {
    const course = radiotherapyVolumes.get(e);
    if (course) {
      used(e, `the irradiated volume of ${course.label}`);
      continue;
    }
    if (e.type === 'BodyStructure' && profiles(e.resource).includes(PROFILE.radiotherapyVolume)) {
      ignore(e, 'a radiotherapy volume of no radiotherapy course that was read');
      continue;
    }
    if (e.type === 'BodyStructure') {
      const related = asArray(field(e.resource, 'extension')).filter((x) => str(x, 'url') === EXTENSION.relatedCondition).map((x) => index.resolve(field(x, 'valueReference')));
      if (!condition || !related.includes(condition.entry)) {
        ignore(e, 'a body structure not linked to the retroperitoneal tumour');
        continue;
      }
      const qualifier = asArray(field(e.resource, 'locationQualifier')).flatMap((q) => canonicalCodings(q));
      const lat = qualifier.map((q) => (q.system === SYSTEM.snomed && q.code ? SNOMED_LATERALITY[q.code] : q.system === SYSTEM.retroplan && (q.code === 'side-midline' || q.code === 'side-pelvic') ? q.code.slice(5) : undefined)).find((x) => x !== undefined);
      if (lat === 'left' || lat === 'right' || lat === 'midline' || lat === 'pelvic') {
        draft.tumor.side = lat;
        provenance.set('tumor.side', e.label);
        used(e, `tumor.side = ${lat} (Tumor body structure)`);
      } else used(e, 'the tumour body structure (no laterality Retroplan reads)');
    } else {
      const method = codings(field(field(e.resource, 'collection'), 'method')).find((c) => c.system === SYSTEM.retroplan)?.code;
      const specimen = method === 'specimen-core_biopsy' ? 'core_biopsy' : method === 'specimen-resection' ? 'resection' : undefined;
      if (!specimen || !condition) {
        ignore(e, specimen ? 'a specimen without a retroperitoneal tumour' : 'a specimen whose collection method Retroplan does not read');
        continue;
      }
      draft.pathology.specimen = specimen;
      provenance.set('pathology.specimen', e.label);
      used(e, `pathology.specimen = ${specimen}`);
    }
  }

  const relevant = condition !== undefined;
  let rejection: ImportResult['rejection'];
  if (!relevant) {
    if (rejectedFindings.length > 0) {
      rejection = { reason: 'the tumour is coded at a site other than the retroperitoneum', found: rejectedFindings };
      report.notes.push(`Not imported: the tumour is coded at a site other than the retroperitoneum (${rejectedFindings.join(' | ')}).`);
    } else {
      report.notes.push('No retroperitoneal tumour or sarcoma condition was found in the bundle.');
    }
  }

  const built = finalise(draft, provenance, report);
  if (relevant && recorded.group !== undefined) {
    const computed = evaluateCase(built).stage.group;
    if (computed !== recorded.group) report.notes.push(`The EHR records stage ${recorded.group}; Retroplan computes ${computed ?? 'no stage group'} from the imported data — please review.`);
  }
  const patientId = patient ? str(patient.resource, 'id') : subjectKey?.startsWith('Patient/') ? subjectKey.slice('Patient/'.length) : undefined;
  const recordedStaging: RecordedStaging = {
    ...recorded,
    ...(basis ? { basis } : {}),
    ...(hasAny('clinical') ? { clinical: recordedBy.clinical } : {}),
    ...(hasAny('pathological') ? { pathological: recordedBy.pathological } : {}),
  };
  return {
    ok: true,
    value: { case: built, report, relevant, recorded: recordedStaging, ...(rejection ? { rejection } : {}), ...(patientId ? { patientId } : {}) },
  };
}

function linkedTo(p: Entry, condition: Entry | undefined, index: ResourceIndex): boolean {
  if (!condition) return false;
  return asArray(field(p.resource, 'reasonReference')).some((r) => index.resolve(r) === condition);
}

/** Validates the draft; a value the case model rejects is dropped and its resource reported, never guessed. */
function finalise(draft: object, provenance: Map<string, string>, report: ImportReport): Case {
  const candidate: unknown = JSON.parse(JSON.stringify(draft));
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const result = validateCase(candidate);
    if (result.ok) return result.value;
    for (const error of result.errors) {
      const segments = error.path.split(/\.|\[|\]/).filter((s) => s !== '');
      let parent: unknown = candidate;
      for (const s of segments.slice(0, -1)) parent = field(parent, s);
      const last = segments[segments.length - 1];
      const object = asObject(parent);
      if (object && last !== undefined) delete object[last];
      const source = [...provenance.entries()].find(([path]) => error.path.startsWith(path))?.[1] ?? '(bundle)';
      report.ignored.push({ resource: source, reason: `${error.path}: ${error.message}` });
    }
  }
  report.notes.push('The imported data could not be made into a valid case; an empty case is returned.');
  const empty = validateCase({});
  if (!empty.ok) throw new Error('the empty case is invalid');
  return empty.value;
}

/**
 * Imports a FHIR R4 Bundle (or a single resource) into a case. Never throws:
 * input that is not FHIR JSON, or data about several patients, is an error value with field paths.
 */
export function importBundle(input: unknown, options: ImportOptions): ImportOutcome {
  if (!DATE_PATTERN.test(options.asOf)) return { ok: false, kind: 'input', errors: [{ path: 'asOf', message: 'must be a date YYYY-MM-DD' }] };
  const resource = asObject(input);
  if (!resource) return { ok: false, kind: 'input', errors: [{ path: '', message: 'a FHIR resource must be a JSON object' }] };
  const type = str(resource, 'resourceType');
  if (type === undefined) return { ok: false, kind: 'input', errors: [{ path: 'resourceType', message: 'is required: this is not a FHIR resource' }] };
  if (!/^[A-Z][A-Za-z]{1,63}$/.test(type)) return { ok: false, kind: 'input', errors: [{ path: 'resourceType', message: `${quote(type)} is not a FHIR resource type` }] };
  const report: ImportReport = { used: [], ignored: [], notes: [] };
  try {
    const index = indexBundle(resource);
    if ('path' in index) return { ok: false, kind: 'input', errors: [index] };
    if (type !== 'Bundle') report.notes.push(`Read a single ${quote(type)} resource (not a Bundle).`);
    return importIndex(index, options, report);
  } catch (error) {
    // Defensive: a bug must not crash a caller handed hostile input; it becomes an error value.
    return { ok: false, kind: 'input', errors: [{ path: '', message: `the bundle could not be read: ${(error as Error)?.message ?? String(error)}` }] };
  }
}

/** Imports from an already built index (the streaming reader builds one without holding the JSON text). */
export function importIndex(index: ResourceIndex, options: ImportOptions, report: ImportReport = { used: [], ignored: [], notes: [] }): ImportOutcome {
  if (!DATE_PATTERN.test(options.asOf)) return { ok: false, kind: 'input', errors: [{ path: 'asOf', message: 'must be a date YYYY-MM-DD' }] };
  return importEntries(index, options, report);
}
