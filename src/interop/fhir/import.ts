import {
  MARKERS,
  evaluateCase,
  histologyByCode,
  HISTOLOGIES,
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
  EXTENSION,
  GRADE_CODES,
  GRADE_VALUES,
  HISTOLOGIC_BEHAVIOR_AND_TYPE_CODE,
  LOINC_ANSWER_TEXT,
  MARKER_NAME_PATTERNS,
  RETROPERITONEUM_TOPOGRAPHY,
  RETROPLAN_CODES,
  SNOMED_AJCC_VALUES,
  STAGE_GROUP_CODES,
  STAGING_CODES,
  SYSTEM,
  TUMOR_LONGEST_DIMENSION_CODE,
  TUMOR_SIZE_CODE,
  type Code,
  type StagingKind,
} from './codes.ts';
import { asArray, asFiniteNumber, asObject, codings, conceptTexts, field, hasCoding, quote, str, type Coding } from './json.ts';

/**
 * FHIR R4 Bundle → Retroplan case, with a report of what was used, what was
 * ignored and why. Pure: the date ages are computed at is a parameter.
 * Codes: REFERENCE.md §10; codes.ts.
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
}

export interface ImportResult {
  readonly case: Case;
  readonly report: ImportReport;
  /** True when the bundle holds a retroperitoneal tumour or a sarcoma (the case is about something). */
  readonly relevant: boolean;
  /** The Patient resource's id, when there was one. */
  readonly patientId?: string;
  /** Staging as recorded in the EHR (Retroplan recomputes it from the case). */
  readonly recorded: RecordedStaging;
}

export type ImportOutcome = { ok: true; value: ImportResult } | { ok: false; errors: FieldError[] };

export interface ImportOptions {
  /** The date ages are computed at, `YYYY-MM-DD` (callers pass today; tests pass a fixed date). */
  readonly asOf: string;
}

/** Bundles larger than this are read in part; the rest is reported as ignored. */
export const MAX_ENTRIES = 5000;

interface Entry {
  readonly resource: Record<string, unknown>;
  readonly label: string;
  readonly index: number;
  readonly fullUrl?: string;
}

interface Candidate<T> {
  readonly entry: Entry;
  readonly value: T;
  readonly describe: string;
  readonly date: number | undefined;
  readonly dateText?: string;
}

type ObservationKind =
  | { kind: 'size' }
  | { kind: StagingKind }
  | { kind: 'grade' }
  | { kind: 'histology' }
  | { kind: 'differentiation' }
  | { kind: 'mitoses' }
  | { kind: 'necrosis' }
  | { kind: 'margin' }
  | { kind: 'marker'; marker: MarkerName; byText: boolean };

type Parsed<T> = { ok: true; value: T; describe: string; note?: string } | { ok: false; reason: string };

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function labelOf(resource: Record<string, unknown>, index: number): string {
  const type = str(resource, 'resourceType') ?? 'resource';
  const id = str(resource, 'id');
  return id !== undefined && /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? `${type}/${id}` : `${type} (entry ${index})`;
}

function collectEntries(input: Record<string, unknown>, report: ImportReport): Entry[] | FieldError[] {
  if (str(input, 'resourceType') !== 'Bundle') {
    report.notes.push(`Read a single ${quote(str(input, 'resourceType'))} resource (not a Bundle).`);
    return [{ resource: input, label: labelOf(input, 0), index: 0 }];
  }
  const rawEntries = field(input, 'entry');
  if (rawEntries !== undefined && !Array.isArray(rawEntries)) {
    return [{ path: 'entry', message: 'must be an array of bundle entries' }];
  }
  const entries: Entry[] = [];
  const queue: { list: unknown[]; prefix: string; depth: number }[] = [{ list: asArray(rawEntries), prefix: 'entry', depth: 0 }];
  let seen = 0;
  while (queue.length > 0) {
    const { list, prefix, depth } = queue.shift()!;
    list.forEach((raw, i) => {
      seen += 1;
      const where = `${prefix}[${i}]`;
      if (seen > MAX_ENTRIES) {
        if (seen === MAX_ENTRIES + 1) report.notes.push(`Only the first ${MAX_ENTRIES} entries were read.`);
        return;
      }
      const resource = asObject(field(raw, 'resource'));
      const type = str(resource, 'resourceType');
      if (!resource || type === undefined) {
        report.ignored.push({ resource: where, reason: 'the entry has no resource with a resourceType' });
        return;
      }
      if (type === 'Bundle' && depth < 2) {
        queue.push({ list: asArray(field(resource, 'entry')), prefix: `${where}.resource.entry`, depth: depth + 1 });
        return;
      }
      const fullUrl = str(raw, 'fullUrl');
      entries.push({ resource, label: labelOf(resource, entries.length), index: entries.length, ...(fullUrl !== undefined ? { fullUrl } : {}) });
    });
  }
  return entries;
}

function dateOf(resource: unknown, keys: readonly string[]): { time: number | undefined; text?: string } {
  for (const key of keys) {
    const direct = str(resource, key);
    const value = direct ?? str(field(resource, key.replace(/DateTime$/, 'Period')), 'end') ?? str(field(resource, key.replace(/DateTime$/, 'Period')), 'start');
    if (value !== undefined) {
      const time = Date.parse(value);
      if (Number.isFinite(time)) return { time, text: value };
    }
  }
  return { time: undefined };
}

const OBSERVATION_DATE_KEYS = ['effectiveDateTime', 'effectiveInstant', 'issued'] as const;
const CONDITION_DATE_KEYS = ['recordedDate', 'onsetDateTime'] as const;

function matchesCode(concept: unknown, code: Code): boolean {
  return hasCoding(concept, code.system, code.code);
}

function retroplanCode(concept: unknown): string | undefined {
  return codings(concept).find((c) => c.system === SYSTEM.retroplan)?.code;
}

function classifyObservation(obs: Record<string, unknown>): ObservationKind | undefined {
  const code = field(obs, 'code');
  const staging = STAGING_CODES.find((row) => matchesCode(code, row.code));
  if (staging) return { kind: staging.kind };
  if (matchesCode(code, TUMOR_SIZE_CODE) || matchesCode(code, TUMOR_LONGEST_DIMENSION_CODE)) return { kind: 'size' };
  if (GRADE_CODES.some((g) => matchesCode(code, g))) return { kind: 'grade' };
  if (matchesCode(code, HISTOLOGIC_BEHAVIOR_AND_TYPE_CODE)) return { kind: 'histology' };
  const own = retroplanCode(code);
  if (own === RETROPLAN_CODES.fnclccGrade.code) return { kind: 'grade' };
  if (own === RETROPLAN_CODES.differentiationScore.code) return { kind: 'differentiation' };
  if (own === RETROPLAN_CODES.mitosesPer10Hpf.code) return { kind: 'mitoses' };
  if (own === RETROPLAN_CODES.necrosisPercent.code) return { kind: 'necrosis' };
  if (own === RETROPLAN_CODES.margin.code) return { kind: 'margin' };
  if (own?.startsWith('marker-')) {
    const name = own.slice('marker-'.length);
    if (Object.prototype.hasOwnProperty.call(MARKERS, name)) return { kind: 'marker', marker: name as MarkerName, byText: false };
  }
  const texts = conceptTexts(code).join(' | ');
  if (texts === '') return undefined;
  if (/\b(surgical|resection) margins?\b|\bR classification\b|\bresidual tumou?r\b/i.test(texts)) return { kind: 'margin' };
  if (/\bdifferentiation score\b/i.test(texts)) return { kind: 'differentiation' };
  if (/\b(mitotic (count|rate|index)|mitoses)\b/i.test(texts)) return { kind: 'mitoses' };
  if (/\bnecrosis\b/i.test(texts)) return { kind: 'necrosis' };
  // Several names may match ("MDM2 and CDK4"); such an observation is ambiguous and not read as a marker.
  const markers = (Object.keys(MARKER_NAME_PATTERNS) as MarkerName[]).filter((m) => MARKER_NAME_PATTERNS[m].test(texts));
  if (markers.length === 1) return { kind: 'marker', marker: markers[0]!, byText: true };
  return undefined;
}

// ——— value parsers ———

function valueTexts(obs: Record<string, unknown>): { codes: Coding[]; texts: string[] } {
  const concept = field(obs, 'valueCodeableConcept');
  const codes = codings(concept);
  const texts = [...conceptTexts(concept)];
  const valueString = str(obs, 'valueString');
  if (valueString !== undefined) texts.push(valueString);
  for (const c of codes) {
    if (c.system === SYSTEM.loinc && c.code !== undefined && LOINC_ANSWER_TEXT[c.code]) texts.push(LOINC_ANSWER_TEXT[c.code]!);
  }
  return { codes, texts };
}

/** Candidate AJCC category strings (`cT3`, `pN0`, `3B`) from a staging observation's value. */
function stagingValueStrings(obs: Record<string, unknown>): string[] {
  const { codes, texts } = valueTexts(obs);
  const out: string[] = [];
  for (const c of codes) {
    if (c.code === undefined) continue;
    if (c.system === SYSTEM.snomed) {
      const mapped = SNOMED_AJCC_VALUES[c.code];
      if (mapped) out.push(mapped);
    } else {
      out.push(c.code);
    }
  }
  return [...out, ...texts].map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 80);
}

const CATEGORY_PATTERN = { T: /^(?:AJCC\s*)?(y|r|yp|rp|yc|a)?([cp])?T(X|is|[0-4])[a-d]?$/i, N: /^(?:AJCC\s*)?(y|yp|yc)?([cp])?N(X|[0-3])[a-c]?$/i, M: /^(?:AJCC\s*)?(y|yp|yc)?([cp])?M(X|[01])[a-d]?$/i };

function parseCategory(kind: 'T' | 'N' | 'M', obs: Record<string, unknown>): Parsed<string> {
  const values = stagingValueStrings(obs);
  for (const v of values) {
    const m = CATEGORY_PATTERN[kind].exec(v.replace(/^American Joint Committee on Cancer\s+/i, '').replace(/\s*\(qualifier value\)$/i, ''));
    if (!m) continue;
    const category = `${kind}${m[3]!.toUpperCase() === 'IS' ? 'is' : m[3]!.toUpperCase()}`;
    return { ok: true, value: category, describe: `${v} (${category})` };
  }
  return { ok: false, reason: values.length > 0 ? `its value ${quote(values[0])} is not an AJCC ${kind} category` : 'it has no coded value' };
}

const ROMAN_GROUPS: readonly StageGroup[] = ['IA', 'IB', 'II', 'IIIA', 'IIIB', 'IV'];

function parseStageGroup(obs: Record<string, unknown>): Parsed<StageGroup> {
  const values = stagingValueStrings(obs);
  for (const v of values) {
    const bare = v.replace(/^(American Joint Committee on Cancer\s+)?(AJCC\s+)?(stage\s+)?/i, '').replace(/\s*\(qualifier value\)$/i, '').trim();
    const byCode = STAGE_GROUP_CODES.find((row) => row.code.toLowerCase() === bare.toLowerCase());
    if (byCode) return { ok: true, value: byCode.group, describe: `${v} (stage ${byCode.group})` };
    const roman = ROMAN_GROUPS.find((g) => g === bare.toUpperCase());
    if (roman) return { ok: true, value: roman, describe: `${v} (stage ${roman})` };
  }
  return {
    ok: false,
    reason: values.length > 0 ? `its value ${quote(values[0])} is not an AJCC 8 stage group for retroperitoneal sarcoma (IA, IB, II, IIIA, IIIB, IV)` : 'it has no coded value',
  };
}

function quantityInCm(quantity: unknown): Parsed<number> {
  const value = asFiniteNumber(field(quantity, 'value'));
  const unit = str(quantity, 'code') ?? str(quantity, 'unit');
  if (value === undefined) return { ok: false, reason: 'the size has no numeric value' };
  const factor = unit === 'cm' ? 1 : unit === 'mm' ? 0.1 : undefined;
  if (factor === undefined) return { ok: false, reason: `the size unit ${quote(unit ?? '(none)')} is not cm or mm` };
  const cm = Math.round(value * factor * 1000) / 1000;
  if (!(cm > 0 && cm <= 100)) return { ok: false, reason: `the size ${value} ${unit} is outside 0–100 cm` };
  return { ok: true, value: cm, describe: `${value} ${unit}` };
}

function parseSize(obs: Record<string, unknown>): Parsed<number> {
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

function gradeFromStrings(values: readonly string[]): Exclude<Grade, 'GX'> | 'GX' | undefined {
  for (const v of values) {
    const m = /\b(?:G|grade\s*|FNCLCC\s*(?:grade\s*)?)([1-3X])\b/i.exec(v) ?? /^([1-3])$/.exec(v.trim());
    if (m) return `G${m[1]!.toUpperCase()}` as Grade;
  }
  return undefined;
}

function componentNumber(obs: unknown, code: Code): number | undefined {
  const component = asArray(field(obs, 'component')).find((c) => matchesCode(field(c, 'code'), code));
  return asFiniteNumber(field(field(component, 'valueQuantity'), 'value')) ?? asFiniteNumber(field(component, 'valueInteger'));
}

function parseGrade(obs: Record<string, unknown>): Parsed<GradeValue> {
  const { codes, texts } = valueTexts(obs);
  const snomed = GRADE_VALUES.find((row) => codes.some((c) => c.system === row.code.system && c.code === row.code.code));
  const grade = snomed?.grade ?? gradeFromStrings([...codes.map((c) => c.code ?? ''), ...texts]);
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
    return { ok: false, reason: texts.length > 0 || codes.length > 0 ? `its value ${quote(texts[0] ?? codes[0]?.code)} is not a recognised grade (G1–G3, or SNOMED low/intermediate/high)` : 'it has no value' };
  }
  const describe = [grade ? `grade ${grade}` : undefined, hasComponents ? 'FNCLCC components' : undefined].filter(Boolean).join(' with ');
  return { ok: true, value: { ...(grade ? { grade } : {}), ...(hasComponents ? { fnclcc } : {}) }, describe };
}

function parseNumberValue(obs: Record<string, unknown>): number | undefined {
  return asFiniteNumber(field(field(obs, 'valueQuantity'), 'value')) ?? asFiniteNumber(field(obs, 'valueInteger'));
}

function parseMitoses(obs: Record<string, unknown>): Parsed<number> {
  const value = parseNumberValue(obs);
  if (value === undefined) return { ok: false, reason: 'the mitotic count has no numeric value' };
  const unit = `${str(field(obs, 'valueQuantity'), 'unit') ?? ''} ${str(field(obs, 'valueQuantity'), 'code') ?? ''}`;
  if (/mm2|mm\^2|mm²/i.test(unit)) {
    // Per mm² → per 10 HPF of 0.1734 mm² each (1.734 mm²): REFERENCE.md §2 [V] (CAP).
    const per10 = Math.round(value * 1.734);
    return { ok: true, value: per10, describe: `${value} per mm² = ${per10} per 10 HPF`, note: 'mitotic count converted from per mm² to per 10 HPF (× 1.734, CAP) and rounded' };
  }
  if (!Number.isInteger(value)) return { ok: false, reason: 'the mitotic count per 10 HPF is not a whole number' };
  return { ok: true, value, describe: `${value} per 10 HPF` };
}

function parseMargin(obs: Record<string, unknown>): Parsed<'R0' | 'R1' | 'R2'> {
  const { codes, texts } = valueTexts(obs);
  for (const v of [...codes.map((c) => c.code ?? ''), ...texts]) {
    const m = /\bR([012])\b/.exec(v);
    if (m) return { ok: true, value: `R${m[1]}` as 'R0' | 'R1' | 'R2', describe: `R${m[1]}` };
  }
  return { ok: false, reason: 'its value is not R0, R1 or R2' };
}

function parseMarker(marker: MarkerName, obs: Record<string, unknown>): Parsed<string> {
  const { codes, texts } = valueTexts(obs);
  const allowed = MARKERS[marker].results as readonly string[];
  const own = codes.find((c) => c.system === SYSTEM.retroplan && c.code !== undefined && allowed.includes(c.code));
  if (own) return { ok: true, value: own.code!, describe: `${marker} ${own.code}` };
  const text = [...texts, ...codes.map((c) => c.code ?? '')].join(' | ').toLowerCase();
  const codeText = conceptTexts(field(obs, 'code')).join(' ').toLowerCase();
  let result: string | undefined;
  if (allowed.includes('lost')) {
    if (/\b(lost|loss|absent|negative)\b/.test(text)) result = 'lost';
    else if (/\b(retained|preserved|intact|positive|present)\b/.test(text)) result = 'retained';
  } else if (allowed.includes('amplified') && (/ampl/.test(text) || /\b(fish|amplification|copy number)\b/.test(codeText))) {
    if (/\b(not|no|non)[- ]?(amplified|amplification|detected)\b|\bnegative\b/.test(text)) result = 'not_amplified';
    else if (/\b(amplified|amplification|detected|positive)\b/.test(text)) result = 'amplified';
  } else if (/\b(negative|not detected|absent)\b/.test(text)) {
    result = 'negative';
  } else if (/\bfocal(ly)?\b/.test(text) && allowed.includes('focal')) {
    result = 'focal';
  } else if (/\b(positive|detected|present|expressed)\b/.test(text)) {
    result = 'positive';
  }
  if (result === undefined || !allowed.includes(result)) {
    return { ok: false, reason: `its value ${quote(texts[0] ?? codes[0]?.code ?? '(none)')} is not a ${marker} result Retroplan recognises (${allowed.join(', ')})` };
  }
  return { ok: true, value: result, describe: `${marker} ${result}` };
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

function histologyFromConcept(concept: unknown): { code: string; how: string } | undefined {
  for (const c of codings(concept)) {
    if (c.system === SYSTEM.icdo3 && c.code !== undefined) {
      const code = normaliseMorphology(c.code);
      if (code) return { code, how: `ICD-O-3 ${code}` };
    }
  }
  for (const text of conceptTexts(concept)) {
    const code = histologyFromText(text);
    if (code) return { code, how: `matched by name ${quote(text)} → ${code} (no ICD-O-3 code)` };
  }
  return undefined;
}

type Site = 'retroperitoneal' | 'elsewhere' | 'unknown';

function siteOf(condition: Record<string, unknown>): { site: Site; how: string } {
  for (const bodySite of asArray(field(condition, 'bodySite'))) {
    for (const c of codings(bodySite)) {
      if (c.system === SYSTEM.icdo3 && c.code !== undefined && /^C\d\d\.?\d$/.test(c.code)) {
        return c.code.replace('.', '') === RETROPERITONEUM_TOPOGRAPHY.replace('.', '')
          ? { site: 'retroperitoneal', how: `ICD-O-3 topography ${c.code}` }
          : { site: 'elsewhere', how: `ICD-O-3 topography ${c.code}` };
      }
    }
    if (conceptTexts(bodySite).some((t) => /retroperiton/i.test(t))) return { site: 'retroperitoneal', how: 'body site text' };
  }
  const code = field(condition, 'code');
  for (const c of codings(code)) {
    if (c.system !== undefined && /icd-10/.test(c.system) && c.code !== undefined) {
      if (/^C48\.?0/i.test(c.code)) return { site: 'retroperitoneal', how: `ICD-10 ${c.code}` };
      if (/^[CD]\d/i.test(c.code)) return { site: 'elsewhere', how: `ICD-10 ${c.code}` };
    }
  }
  if (conceptTexts(code).some((t) => /retroperiton/i.test(t))) return { site: 'retroperitoneal', how: 'condition text' };
  return { site: 'unknown', how: 'no body site or ICD-10 code' };
}

function histologyExtension(condition: Record<string, unknown>): unknown {
  const ext = asArray(field(condition, 'extension')).find((e) => str(e, 'url') === EXTENSION.histologyMorphologyBehavior);
  return field(ext, 'valueCodeableConcept');
}

function statusCode(concept: unknown): string | undefined {
  if (typeof concept === 'string') return concept;
  return codings(concept)[0]?.code;
}

// ——— the importer ———

function pickLatest<T>(kind: string, candidates: Candidate<T>[], report: ImportReport): Candidate<T> | undefined {
  if (candidates.length === 0) return undefined;
  const sorted = [...candidates].sort((a, b) => (b.date ?? -Infinity) - (a.date ?? -Infinity) || b.entry.index - a.entry.index);
  const [latest, ...older] = sorted;
  for (const o of older) {
    report.ignored.push({ resource: o.entry.label, reason: `superseded: the later ${kind} ${latest!.entry.label}${latest!.dateText ? ` (${latest!.dateText})` : ''} is used` });
  }
  if (older.length > 0) report.notes.push(`${candidates.length} ${kind} observations: the latest (${latest!.entry.label}) is used.`);
  return latest;
}

function refsOf(entry: Entry): Set<string> {
  const id = str(entry.resource, 'id');
  const type = str(entry.resource, 'resourceType');
  return new Set([entry.fullUrl, id !== undefined ? `${type}/${id}` : undefined].filter((r): r is string => r !== undefined));
}

/** Observations whose focus (or mCODE related condition) is a Condition other than the one read belong to another disease. */
function dropObservationsAboutOtherConditions(
  entries: Entry[],
  chosen: Entry | undefined,
  observations: Record<string, Candidate<unknown>[]>,
  report: ImportReport,
): void {
  const others = new Map<string, string>();
  for (const e of entries) {
    if (str(e.resource, 'resourceType') !== 'Condition' || e === chosen) continue;
    for (const ref of refsOf(e)) others.set(ref, e.label);
  }
  if (others.size === 0) return;
  for (const [key, list] of Object.entries(observations)) {
    observations[key] = list.filter((candidate) => {
      const refs = [
        ...asArray(field(candidate.entry.resource, 'focus')).map((f) => str(f, 'reference')),
        ...asArray(field(candidate.entry.resource, 'extension'))
          .filter((x) => str(x, 'url') === EXTENSION.relatedCondition)
          .map((x) => str(field(x, 'valueReference'), 'reference')),
      ].filter((r): r is string => r !== undefined);
      const other = refs.map((r) => others.get(r)).find((label) => label !== undefined);
      if (other === undefined) return true;
      report.ignored.push({ resource: candidate.entry.label, reason: `it is about ${other}, not the retroperitoneal tumour` });
      return false;
    });
  }
}

function subjectMatcher(patient: Entry | undefined): (resource: Record<string, unknown>) => boolean {
  if (!patient) return () => true;
  const id = str(patient.resource, 'id');
  const refs = new Set([patient.fullUrl, id !== undefined ? `Patient/${id}` : undefined].filter((r): r is string => r !== undefined));
  return (resource) => {
    const ref = str(field(resource, 'subject'), 'reference') ?? str(field(resource, 'patient'), 'reference');
    if (ref === undefined) return true;
    return refs.has(ref) || (id !== undefined && ref.endsWith(`/Patient/${id}`));
  };
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

function importEntries(entries: Entry[], options: ImportOptions, report: ImportReport): ImportResult {
  const used = (entry: Entry, as: string) => report.used.push({ resource: entry.label, as });
  const ignore = (entry: Entry, reason: string) => report.ignored.push({ resource: entry.label, reason });

  const patients = entries.filter((e) => str(e.resource, 'resourceType') === 'Patient');
  const patient = patients[0];
  for (const extra of patients.slice(1)) ignore(extra, `a second Patient: only ${patient!.label} is read`);
  const sameSubject = subjectMatcher(patient);

  const draft: { patient: NonNullable<CaseInput['patient']>; tumor: NonNullable<CaseInput['tumor']>; pathology: NonNullable<CaseInput['pathology']>; presentation?: 'primary' | 'recurrent'; surgery?: { margin?: 'R0' | 'R1' | 'R2' } } = {
    patient: {},
    tumor: {},
    pathology: {},
  };
  const provenance = new Map<string, string>();
  const recorded: { t?: string; n?: string; m?: string; group?: StageGroup } = {};

  if (patient) {
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
      } else {
        report.notes.push(`The birth date ${quote(birthDate)} gives no age from 0 to 120 years as of ${options.asOf}; age not set.`);
      }
    }
    if (parts.length > 0) used(patient, parts.join('; '));
    else ignore(patient, 'it has neither a usable gender nor a birth date');
  }

  // Conditions: the retroperitoneal tumour / sarcoma.
  const conditions: Candidate<{ histology?: { code: string; how: string }; site: { site: Site; how: string }; recurrent: boolean }>[] = [];
  const observations: Record<string, Candidate<unknown>[]> = {};
  const addObservation = (key: string, candidate: Candidate<unknown>) => (observations[key] ??= []).push(candidate);
  const procedures: Entry[] = [];

  for (const entry of entries) {
    const type = str(entry.resource, 'resourceType');
    if (type === 'Patient') continue;
    if (!sameSubject(entry.resource)) {
      ignore(entry, `its subject is not the bundle's Patient (${patient!.label})`);
      continue;
    }
    if (type === 'Condition') {
      const verification = statusCode(field(entry.resource, 'verificationStatus'));
      if (verification === 'entered-in-error' || verification === 'refuted') {
        ignore(entry, `its verification status is ${verification}`);
        continue;
      }
      const histology = histologyFromConcept(histologyExtension(entry.resource)) ?? histologyFromConcept(field(entry.resource, 'code'));
      const site = siteOf(entry.resource);
      const isSarcoma = histology ? histologyByCode(histology.code)?.category === 'sarcoma' : false;
      if (site.site === 'elsewhere') {
        ignore(entry, `its site is not the retroperitoneum (${site.how})`);
        continue;
      }
      if (site.site === 'unknown' && !isSarcoma) {
        ignore(entry, histology ? `not a sarcoma and no retroperitoneal site (${histology.how})` : 'neither a retroperitoneal site nor a sarcoma histology');
        continue;
      }
      const clinical = statusCode(field(entry.resource, 'clinicalStatus'));
      const { time, text } = dateOf(entry.resource, CONDITION_DATE_KEYS);
      conditions.push({
        entry,
        value: { ...(histology ? { histology } : {}), site, recurrent: clinical === 'recurrence' || clinical === 'relapse' },
        describe: '',
        date: time,
        ...(text ? { dateText: text } : {}),
      });
      continue;
    }
    if (type === 'Observation') {
      const status = str(entry.resource, 'status');
      if (status === 'entered-in-error' || status === 'cancelled') {
        ignore(entry, `its status is ${status}`);
        continue;
      }
      const kind = classifyObservation(entry.resource);
      if (!kind) {
        ignore(entry, 'an observation Retroplan does not read (code not recognised)');
        continue;
      }
      let parsed: Parsed<unknown>;
      let key: string = kind.kind;
      switch (kind.kind) {
        case 'size': parsed = parseSize(entry.resource); break;
        case 'T': case 'N': case 'M': parsed = parseCategory(kind.kind, entry.resource); break;
        case 'group': parsed = parseStageGroup(entry.resource); break;
        case 'grade': parsed = parseGrade(entry.resource); break;
        case 'histology': {
          const h = histologyFromConcept(field(entry.resource, 'valueCodeableConcept'));
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
          parsed = v !== undefined && v >= 0 && v <= 100 ? { ok: true, value: v, describe: `necrosis ${v} %` } : { ok: false, reason: 'the necrosis is not a percentage from 0 to 100' };
          break;
        }
        case 'margin': parsed = parseMargin(entry.resource); break;
        case 'marker':
          key = `marker:${kind.marker}`;
          parsed = parseMarker(kind.marker, entry.resource);
          if (parsed.ok && kind.byText) parsed = { ...parsed, note: `${kind.marker} recognised by the name in Observation.code (no standard code)` };
          break;
      }
      if (!parsed.ok) {
        ignore(entry, parsed.reason);
        continue;
      }
      if (parsed.note) report.notes.push(`${entry.label}: ${parsed.note}.`);
      const { time, text } = dateOf(entry.resource, OBSERVATION_DATE_KEYS);
      addObservation(key, { entry, value: parsed.value, describe: parsed.describe, date: time, ...(text ? { dateText: text } : {}) });
      continue;
    }
    if (type === 'Procedure') {
      procedures.push(entry);
      continue;
    }
    ignore(entry, `Retroplan does not read ${type} resources`);
  }

  const condition = pickLatest('primary cancer condition', conditions, report);
  dropObservationsAboutOtherConditions(entries, condition?.entry, observations, report);
  if (condition) {
    const parts = [`retroperitoneal tumour (${condition.value.site.how})`];
    if (condition.value.histology) {
      draft.pathology.histology = condition.value.histology.code;
      provenance.set('pathology.histology', condition.entry.label);
      parts.push(`pathology.histology = ${condition.value.histology.code} (${condition.value.histology.how})`);
      if (!histologyByCode(condition.value.histology.code)) report.notes.push(`Histology ${condition.value.histology.code} is not in Retroplan's table.`);
    }
    if (condition.value.recurrent) {
      draft.presentation = 'recurrent';
      provenance.set('presentation', condition.entry.label);
      parts.push('presentation = recurrent');
    }
    used(condition.entry, parts.join('; '));
  }

  const take = <T>(key: string, label: string, apply: (value: T, c: Candidate<T>) => string | undefined) => {
    const chosen = pickLatest(label, (observations[key] ?? []) as Candidate<T>[], report);
    if (!chosen) return;
    const as = apply(chosen.value, chosen);
    if (as === undefined) return;
    used(chosen.entry, as);
  };

  take<{ code: string; how: string }>('histology', 'histologic type', (h, c) => {
    if (draft.pathology.histology !== undefined) {
      if (draft.pathology.histology !== h.code) report.notes.push(`${c.entry.label} gives histology ${h.code} but the condition gives ${draft.pathology.histology}; the condition's is used.`);
      ignore(c.entry, 'the histology is taken from the primary cancer condition');
      return undefined;
    }
    draft.pathology.histology = h.code;
    provenance.set('pathology.histology', c.entry.label);
    return `pathology.histology = ${h.code} (${h.how})`;
  });

  take<number>('size', 'tumour size', (cm, c) => {
    draft.tumor.sizeCm = cm;
    provenance.set('tumor.sizeCm', c.entry.label);
    return `tumor.sizeCm = ${cm} (${c.describe})`;
  });

  take<string>('T', 'T category', (t, c) => {
    recorded.t = t;
    const size = draft.tumor.sizeCm;
    if (size !== undefined && tCategory(size) !== t && t !== 'TX') {
      report.notes.push(`The recorded ${t} (${c.entry.label}) disagrees with the size ${size} cm, which gives ${tCategory(size)}; Retroplan stages from the size.`);
    } else if (size === undefined) {
      report.notes.push(`The recorded ${t} cannot set the tumour size Retroplan stages from: enter the greatest dimension in cm.`);
    }
    return `recorded T category ${c.describe} (cross-check; T is computed from tumor.sizeCm)`;
  });

  take<string>('N', 'N category', (n, c) => {
    recorded.n = n;
    if (n === 'N0' || n === 'N1') {
      draft.tumor.nodes = n;
      provenance.set('tumor.nodes', c.entry.label);
      return `tumor.nodes = ${n} (${c.describe})`;
    }
    ignore(c.entry, n === 'NX' ? 'NX: nodal status not assessed (AJCC 8 counts unknown nodal status as N0; left unset)' : `${n} is not an AJCC 8 soft tissue sarcoma N category (N0 or N1)`);
    return undefined;
  });

  take<string>('M', 'M category', (m, c) => {
    recorded.m = m;
    if (m === 'M0' || m === 'M1') {
      draft.tumor.metastasis = m;
      provenance.set('tumor.metastasis', c.entry.label);
      return `tumor.metastasis = ${m} (${c.describe})`;
    }
    ignore(c.entry, `${m} is not an AJCC 8 M category (M0 or M1)`);
    return undefined;
  });

  take<StageGroup>('group', 'stage group', (g, c) => {
    recorded.group = g;
    return `recorded stage group ${c.describe} (cross-check; Retroplan computes the stage)`;
  });

  const fnclccParts: { differentiation?: number; mitosesPer10Hpf?: number; necrosisPercent?: number } = {};
  const fnclccFrom: string[] = [];
  take<GradeValue>('grade', 'histologic grade', (g, c) => {
    const parts: string[] = [];
    if (g.grade !== undefined) {
      draft.pathology.grade = g.grade;
      provenance.set('pathology.grade', c.entry.label);
      parts.push(`pathology.grade = ${g.grade}`);
    }
    if (g.fnclcc) {
      Object.assign(fnclccParts, g.fnclcc);
      fnclccFrom.push(c.entry.label);
      parts.push('FNCLCC components');
    }
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
    draft.surgery = { margin };
    provenance.set('surgery.margin', c.entry.label);
    return `surgery.margin = ${margin}`;
  });

  const markers: Record<string, string> = {};
  for (const marker of Object.keys(MARKERS) as MarkerName[]) {
    take<string>(`marker:${marker}`, `${marker} result`, (result, c) => {
      markers[marker] = result;
      provenance.set(`pathology.markers.${marker}`, c.entry.label);
      return `pathology.markers.${marker} = ${result}`;
    });
  }
  if (Object.keys(markers).length > 0) draft.pathology.markers = markers as NonNullable<CaseInput['pathology']>['markers'];

  for (const p of procedures) {
    const outcome = [...conceptTexts(field(p.resource, 'outcome')), ...codings(field(p.resource, 'outcome')).map((c) => c.code ?? '')].join(' ');
    const r = /\bR([012])\b/.exec(outcome);
    if (r && draft.surgery?.margin === undefined) {
      draft.surgery = { margin: `R${r[1]}` as 'R0' | 'R1' | 'R2' };
      provenance.set('surgery.margin', p.label);
      used(p, `surgery.margin = R${r[1]} (Procedure.outcome)`);
    } else {
      ignore(p, draft.surgery?.margin !== undefined ? 'the margin is taken from the margin observation' : 'a procedure without a margin (R0/R1/R2) in its outcome');
    }
  }

  const relevant = condition !== undefined;
  if (!relevant) report.notes.push('No retroperitoneal tumour or sarcoma condition was found in the bundle.');

  const built = finalise(draft, provenance, report);
  if (relevant && recorded.group !== undefined) {
    const computed = evaluateCase(built).stage.group;
    if (computed !== recorded.group) {
      report.notes.push(`The EHR records stage ${recorded.group}; Retroplan computes ${computed ?? 'no stage group'} from the imported data — please review.`);
    }
  }
  const patientId = patient ? str(patient.resource, 'id') : undefined;
  return { case: built, report, relevant, recorded, ...(patientId !== undefined ? { patientId } : {}) };
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
 * input that is not FHIR JSON is an error value with field paths.
 */
export function importBundle(input: unknown, options: ImportOptions): ImportOutcome {
  if (!DATE_PATTERN.test(options.asOf)) return { ok: false, errors: [{ path: 'asOf', message: 'must be a date YYYY-MM-DD' }] };
  const resource = asObject(input);
  if (!resource) return { ok: false, errors: [{ path: '', message: 'a FHIR resource must be a JSON object' }] };
  const type = str(resource, 'resourceType');
  if (type === undefined) return { ok: false, errors: [{ path: 'resourceType', message: 'is required: this is not a FHIR resource' }] };
  if (!/^[A-Z][A-Za-z]{1,63}$/.test(type)) return { ok: false, errors: [{ path: 'resourceType', message: `${quote(type)} is not a FHIR resource type` }] };
  const report: ImportReport = { used: [], ignored: [], notes: [] };
  try {
    const entries = collectEntries(resource, report);
    if (entries.length > 0 && 'path' in entries[0]!) return { ok: false, errors: entries as FieldError[] };
    return { ok: true, value: importEntries(entries as Entry[], options, report) };
  } catch (error) {
    // Defensive: a bug must not crash a caller handed hostile input; it becomes an error value.
    return { ok: false, errors: [{ path: '', message: `the bundle could not be read: ${(error as Error)?.message ?? String(error)}` }] };
  }
}
