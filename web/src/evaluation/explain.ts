import type { Evaluation } from '../../../src/engine/index.ts';
import { humanText, label, organNameInText } from '../../../src/engine/vocabulary.ts';

/**
 * Reading the engine's evaluation document for display. Core parts (grade,
 * stage, margin) have known shapes; newer parts (diagnosis, strategy, plan, …)
 * are read defensively: any object with `reasons` becomes an expandable
 * conclusion, and a missing part is shown as absent, never invented.
 */
export interface Conclusion {
  readonly key: string;
  readonly title: string;
  readonly headline: string;
  readonly reasons: string[];
  readonly sources: string[];
  readonly evidence?: string | undefined;
  readonly children: Conclusion[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const HEADLINE_KEYS = ['summary', 'headline', 'recommendation', 'label', 'title', 'name', 'text', 'decision', 'pattern', 'status', 'group', 'result', 'urgency', 'action'];

function scalarText(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function headlineOf(o: Obj): string {
  for (const k of HEADLINE_KEYS) {
    const t = scalarText(o[k]);
    if (t) return t;
    const nested = o[k];
    if (isObj(nested)) {
      const inner = headlineOf(nested);
      if (inner) return inner;
    }
  }
  return '';
}

function humanKey(k: string): string {
  return k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function isExplained(v: unknown): v is Obj {
  return isObj(v) && (Array.isArray(v.reasons) || Array.isArray(v.sources));
}

/** Any explained object → a conclusion, with explained items of its arrays as children. */
export function toConclusion(key: string, title: string, o: Obj, headline?: string): Conclusion {
  const children: Conclusion[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'warnings' || k === 'reasons' || k === 'sources') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (isExplained(item)) children.push(toConclusion(`${key}.${k}[${i}]`, humanKey(k), item));
      });
    } else if (isExplained(v)) {
      children.push(toConclusion(`${key}.${k}`, humanKey(k), v));
    }
  }
  return {
    key,
    title,
    headline: headline ?? headlineOf(o),
    reasons: strings(o.reasons).map(humanText),
    sources: strings(o.sources),
    evidence: typeof o.evidence === 'string' ? o.evidence : undefined,
    children,
  };
}

export function gradeHeadline(e: Evaluation): string {
  const g = e.grade;
  if (g.basis === 'fnclcc') return `${g.grade} (FNCLCC score ${g.totalScore})`;
  if (g.basis === 'reported') return g.grade === 'GX' ? 'GX — cannot be assessed' : `${g.grade} (as reported)`;
  return 'GX — not assessed';
}

export function stageHeadline(e: Evaluation): string {
  const s = e.stage;
  const tnm = `${s.t} ${s.n} ${s.m} ${s.g}`;
  return s.group ? `Stage ${s.group} (${tnm})` : `No stage group (${tnm})`;
}

const monthSpan = (from: number, to: number | null) => (to === null ? `from month ${from}` : `months ${from}–${to}`);
const every = (min: number, max: number) => (min === max ? `every ${min} months` : `every ${min}–${max} months`);

/** Typed headlines and children for the parts whose shapes the engine exports. */
function specific(e: Evaluation, key: string): { headline: string; children?: Conclusion[] } | null {
  switch (key) {
    case 'diagnosis': {
      const d = e.diagnosis;
      if (!d) return null;
      const lead = d.leading
        ? `${d.leading.name.replace(/^./, (c) => c.toUpperCase())} (ICD-O-3 ${d.leading.code})${d.leading.basis === 'findings' ? ' — suspected from the findings, not confirmed by pathology' : ' — pathologist’s diagnosis'}`
        : 'Not established — no histology yet';
      const children: Conclusion[] = [
        ...d.differential.map((x, i) => ({
          key: `diagnosis.differential[${i}]`,
          title: 'Differential',
          headline: `${x.name.replace(/^./, (c) => c.toUpperCase())} — ${label('differentialStatus', x.status)}`,
          reasons: [...x.findingsFor.map((f) => `For: ${humanText(f.text)}`), ...x.findingsAgainst.map((f) => `Against: ${humanText(f.text)}`)],
          sources: [...x.sources],
          evidence: x.evidence,
          children: [],
        })),
        ...d.nextTests.map((t, i) => ({ key: `diagnosis.nextTests[${i}]`, title: 'Next test', headline: t.test.replace(/^./, (c) => c.toUpperCase()), reasons: [humanText(t.why)], sources: [], children: [] })),
      ];
      return { headline: lead, children };
    }
    case 'failurePattern': {
      const f = e.failurePattern;
      return f ? { headline: f.pattern ? label('failurePattern', f.pattern) : 'Not determined' } : null;
    }
    case 'strategy': {
      const s = e.strategy;
      if (!s) return null;
      return {
        headline: s.pathway ?? s.priorities[0]?.label ?? 'No strategy determined',
        children: s.priorities.map((p, i) => ({ key: `strategy.priorities[${i}]`, title: `Priority ${i + 1}`, headline: p.label, reasons: [humanText(p.rationale)], sources: [...p.sources], evidence: p.evidence, children: [] })),
      };
    }
    case 'resectionPlan': {
      const r = e.resectionPlan;
      if (!r) return null;
      const status = r.resectability.status ? label('resectability', r.resectability.status) : 'Resectability not determined';
      const provisional = r.applies === 'provisional' ? ' — provisional until the diagnosis is confirmed' : r.applies === 'no' ? ' — not applicable' : '';
      return {
        headline: `${status}${r.compartment.label ? `; ${r.compartment.label}` : ''}${provisional}`,
        children: [
          ...r.resectability.criteria.map((c, i) => ({ key: `resectionPlan.criteria[${i}]`, title: c.verdict.replace(/^./, (x) => x.toUpperCase()), headline: c.label, reasons: [`Met by: ${c.by.map(organNameInText).join(', ')}`], sources: [...c.sources], evidence: c.evidence, children: [] })),
          ...r.preoperativeChecks.map((c, i) => ({ key: `resectionPlan.checks[${i}]`, title: 'Before surgery', headline: c.label, reasons: [humanText(c.why)], sources: [...c.sources], evidence: c.evidence, children: [] })),
        ],
      };
    }
    case 'surveillance': {
      const s = e.surveillance;
      if (!s) return null;
      const first = s.schedule[0];
      return {
        headline: first ? `Imaging ${every(first.minIntervalMonths, first.maxIntervalMonths)} at first${s.lifelong ? '; long-term, possibly lifelong' : ''}` : 'Schedule not determined',
        children: s.schedule.map((p, i) => ({ key: `surveillance.schedule[${i}]`, title: monthSpan(p.fromMonth, p.toMonth), headline: every(p.minIntervalMonths, p.maxIntervalMonths), reasons: [`Imaging: ${p.imaging.join('; ')}`], sources: [], children: [] })),
      };
    }
    case 'referral': {
      const r = e.referral;
      if (!r) return null;
      return {
        headline: r.recommended ? `Refer to a sarcoma centre${r.timing ? ` ${r.timing}` : ''}` : 'Referral not recommended',
        children: r.evidence.map((f, i) => ({ key: `referral.evidence[${i}]`, title: 'Evidence', headline: humanText(f.text), reasons: [], sources: [...f.sources], evidence: f.evidence, children: [] })),
      };
    }
    case 'grade':
      return { headline: gradeHeadline(e), children: [] };
    case 'stage':
      return { headline: stageHeadline(e), children: [] };
    case 'margin':
      return { headline: e.margin.status ? `${e.margin.status} — ${e.margin.meaning}` : 'Not recorded', children: [] };
  }
  return null;
}

/** The evaluation's sections in reading order; absent parts are left out. */
export const SECTION_ORDER: readonly (readonly [key: string, title: string])[] = [
  ['diagnosis', 'Diagnosis'],
  ['grade', 'Grade'],
  ['stage', 'Stage (AJCC 8th edition)'],
  ['failurePattern', 'Failure pattern'],
  ['strategy', 'Strategy'],
  ['resectionPlan', 'Resection plan'],
  ['margin', 'Margin'],
  ['surveillance', 'Surveillance'],
  ['referral', 'Referral'],
];

export function conclusions(e: Evaluation): Conclusion[] {
  const doc = e as unknown as Obj;
  const out: Conclusion[] = [];
  for (const [key, title] of SECTION_ORDER) {
    const part = doc[key];
    if (!isObj(part)) continue;
    const generic = toConclusion(key, title, part);
    const typed = specific(e, key);
    out.push(typed ? { ...generic, headline: typed.headline, children: typed.children ?? generic.children } : generic);
  }
  return out;
}

/** Short text of a section for summaries (worklist, report header). */
export function sectionHeadline(e: Evaluation | null | undefined, key: string): string | null {
  if (!e) return null;
  const part = (e as unknown as Obj)[key];
  if (!isObj(part)) return null;
  return specific(e, key)?.headline ?? (headlineOf(part) || null);
}

export interface RedFlag {
  readonly message: string;
  readonly sources: string[];
  readonly evidence?: string | undefined;
}

/** Red flags from the diagnosis part when present, then the engine's warnings. */
export function redFlags(e: Evaluation): RedFlag[] {
  const d = (e as unknown as Obj).diagnosis;
  const flags: RedFlag[] = [];
  if (isObj(d)) {
    const list = d.redFlags ?? d.flags;
    if (Array.isArray(list)) {
      for (const f of list) {
        if (typeof f === 'string') flags.push({ message: f, sources: [] });
        else if (isObj(f)) flags.push({ message: headlineOf(f) || String(f.message ?? ''), sources: strings(f.sources), evidence: typeof f.evidence === 'string' ? f.evidence : undefined });
      }
    }
  }
  return flags;
}

/** Differential diagnoses when the diagnosis part lists them. */
export function differential(e: Evaluation): Conclusion[] {
  const d = (e as unknown as Obj).diagnosis;
  if (!isObj(d)) return [];
  const list = d.differential ?? d.differentials ?? d.candidates;
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).map((item, i) => toConclusion(`diagnosis.differential[${i}]`, 'Differential', item));
}
