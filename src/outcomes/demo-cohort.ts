import type { CaseInput } from '../engine/model/case.ts';
import { seededRandom } from '../shared/seeded-random.ts';

/**
 * A synthetic sarcoma centre for demonstration: patients, operations and what
 * followed, drawn with a fixed seed from the published distributions
 * (REFERENCE.md §4 histology mix and recurrence patterns; REFERENCE-2 §6.2
 * benchmarks). Every case is marked synthetic in its id and title. Not data of
 * any real patient, and not for research.
 */

export const SYNTHETIC_PREFIX = '[synthetic]';

export interface DemoCase {
  readonly id: string;
  readonly title: string;
  /** Store status: every demo patient is operated and followed up. */
  readonly status: 'surveillance';
  readonly case: CaseInput;
}

export interface DemoOptions {
  readonly patients?: number;
  readonly firstYear?: number;
  readonly years?: number;
  /** Follow-up ends (administrative censoring) on this date. */
  readonly censorDate?: string;
  readonly seed?: number;
}


interface HistologyProfile {
  readonly code: string;
  readonly share: number;
  /** Median size (cm) at presentation. */
  readonly sizeCm: number;
  readonly grades: readonly ['G1' | 'G2' | 'G3', number][];
  /** 5-year probabilities (as crude targets) used to set constant hazards. */
  readonly localRecurrence5y: number;
  readonly distantMetastasis5y: number;
  readonly fat: boolean;
}

/**
 * Histology mix [S GRONCHI-2016, REFERENCE §4]: liposarcoma ~55–60 % (WD ~25–30 %, DD ~30 %),
 * LMS ~20 %, SFT ~6 %, MPNST and UPS a few % each. Recurrence targets follow the local-dominant
 * (LPS) and distant-dominant (LMS) patterns of REFERENCE §4 and the cohort figures of REFERENCE-2 §6.2.
 */
const HISTOLOGY_MIX: readonly HistologyProfile[] = [
  { code: '8851/3', share: 0.28, sizeCm: 25, grades: [['G1', 1]], localRecurrence5y: 0.3, distantMetastasis5y: 0.02, fat: true },
  { code: '8858/3', share: 0.3, sizeCm: 20, grades: [['G2', 0.45], ['G3', 0.55]], localRecurrence5y: 0.4, distantMetastasis5y: 0.18, fat: true },
  { code: '8890/3', share: 0.2, sizeCm: 11, grades: [['G2', 0.5], ['G3', 0.5]], localRecurrence5y: 0.12, distantMetastasis5y: 0.4, fat: false },
  { code: '8815/1', share: 0.06, sizeCm: 14, grades: [['G1', 0.7], ['G2', 0.3]], localRecurrence5y: 0.05, distantMetastasis5y: 0.08, fat: false },
  { code: '9540/3', share: 0.04, sizeCm: 12, grades: [['G3', 1]], localRecurrence5y: 0.3, distantMetastasis5y: 0.35, fat: false },
  { code: '8802/3', share: 0.04, sizeCm: 15, grades: [['G3', 1]], localRecurrence5y: 0.3, distantMetastasis5y: 0.3, fat: false },
  { code: '8811/3', share: 0.08, sizeCm: 13, grades: [['G2', 0.5], ['G3', 0.5]], localRecurrence5y: 0.25, distantMetastasis5y: 0.2, fat: false },
];

const SURGEONS = ['Surgeon A', 'Surgeon B', 'Surgeon C', 'Surgeon D'];
const HOSPITALS = ['Hub hospital', 'Spoke hospital North', 'Spoke hospital South'];
const DAY = 86_400_000;

function pick<T>(r: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [value, w] of weighted) {
    x -= w;
    if (x <= 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

/** Exponential time (days) with the rate that gives probability p by 5 years; Infinity when p = 0. */
function exponentialDays(r: () => number, p5: number): number {
  if (p5 <= 0) return Infinity;
  const rate = -Math.log(1 - p5) / (5 * 365.25);
  return -Math.log(1 - r()) / rate;
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const MAJOR: ReadonlySet<string> = new Set(['IIIa', 'IIIb', 'IVa', 'IVb', 'V']);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function demoCohort(options: DemoOptions = {}): DemoCase[] {
  const patients = options.patients ?? 600;
  const firstYear = options.firstYear ?? 2013;
  const years = options.years ?? 12;
  const censor = Date.parse(`${options.censorDate ?? '2026-06-30'}T00:00:00Z`);
  const r = seededRandom(options.seed ?? 20261201);
  const start = Date.parse(`${firstYear}-01-01T00:00:00Z`);
  const span = years * 365.25 * DAY;
  const out: DemoCase[] = [];
  for (let i = 0; i < patients; i++) {
    const h = pick(r, HISTOLOGY_MIX.map((x) => [x, x.share] as const));
    const grade = pick(r, h.grades);
    const side = pick(r, [['left', 0.45], ['right', 0.45], ['pelvic', 0.1]] as const);
    const sizeCm = Math.min(60, Math.max(2, Math.round(h.sizeCm * Math.exp(0.4 * normal(r)) * 10) / 10));
    const opMs = start + Math.floor(r() * span);
    // Macroscopically complete in ~95 %; R0 about 60 % (REFERENCE-2 §6.2 ranges).
    const margin = pick(r, [['R0', 0.6], ['R1', 0.35], ['R2', 0.05]] as const);
    // Clavien–Dindo ≥ III 16.4 %, 30-day death 1.8 % (MACNEILL-2018).
    const cd = pick(r, [['0', 0.35], ['I', 0.2], ['II', 0.282], ['IIIa', 0.08], ['IIIb', 0.05], ['IVa', 0.014], ['IVb', 0.006], ['V', 0.018]] as const);
    const death30 = cd === 'V';
    const reoperation = cd === 'IIIb' || (cd.startsWith('IV') && r() < 0.5);
    const stay = Math.max(3, Math.round(9 * Math.exp(0.35 * normal(r)) + (MAJOR.has(cd) ? 8 : 0)));
    const surgeon = SURGEONS[Math.floor(r() * SURGEONS.length)]!;
    const hospital = pick(r, [[HOSPITALS[0]!, 0.8], [HOSPITALS[1]!, 0.1], [HOSPITALS[2]!, 0.1]] as const);
    const marginFactor = margin === 'R2' ? 2.5 : margin === 'R1' ? 1.2 : 1;
    const lrDays = exponentialDays(r, Math.min(0.95, h.localRecurrence5y * marginFactor));
    const dmDays = exponentialDays(r, h.distantMetastasis5y);
    // Death: a background hazard plus a large hazard after distant metastasis (5-year OS ≈ 67 %, GRONCHI-2016).
    const background = exponentialDays(r, 0.12);
    const afterMetastasis = dmDays + exponentialDays(r, 0.85) / 2;
    const deathDays = death30 ? 5 + Math.floor(r() * 25) : Math.min(background, afterMetastasis);
    const lostDays = exponentialDays(r, 0.1);
    const endMs = Math.min(censor, opMs + lostDays * DAY);
    const events: NonNullable<NonNullable<CaseInput['followUp']>['events']> = [];
    const deathMs = opMs + deathDays * DAY;
    if (!death30) {
      if (opMs + lrDays * DAY < Math.min(endMs, deathMs)) events.push({ type: 'local_recurrence', date: isoDate(opMs + lrDays * DAY), site: 'tumour bed' });
      if (opMs + dmDays * DAY < Math.min(endMs, deathMs)) events.push({ type: 'distant_metastasis', date: isoDate(opMs + dmDays * DAY), site: pick(r, [['lung', 0.6], ['liver', 0.25], ['bone', 0.15]] as const) });
    }
    const died = deathMs <= endMs;
    if (died) events.push({ type: 'death', date: isoDate(deathMs), cause: death30 ? 'treatment' : events.some((e) => e.type !== 'death') ? 'sarcoma' : 'other' });
    const contacts = side === 'left' ? ['kidney_left', 'colon_descending'] : side === 'right' ? ['kidney_right', 'colon_ascending'] : ['iliac_vein_left', 'colon_sigmoid'];
    const n = String(i + 1).padStart(4, '0');
    out.push({
      id: `synthetic-${n}`,
      title: `${SYNTHETIC_PREFIX} Demo patient ${n}`,
      status: 'surveillance',
      case: {
        id: `synthetic-${n}`,
        patient: { ageYears: Math.round(Math.min(88, Math.max(22, 59 + 12 * normal(r)))), sex: r() < 0.5 ? 'female' : 'male' },
        presentation: 'primary',
        tumor: { sizeCm, side, nodes: 'N0', metastasis: 'M0', imaging: { macroscopicFat: h.fat, solidComponent: h.code !== '8851/3' }, contacts },
        pathology: { histology: h.code, grade, specimen: 'resection' },
        surgery: {
          date: isoDate(opMs),
          intent: 'curative',
          surgeon,
          hospital,
          margin,
          organsResected: [contacts[0]!],
          transfusion: r() < 0.3,
          clavienDindo: cd,
          reoperation,
          lengthOfStayDays: stay,
          dischargedHome: !death30 && r() < 0.9,
          readmittedWithin90Days: !death30 && r() < 0.1,
        },
        followUp: { events, ...(died ? {} : { lastContactDate: isoDate(endMs) }) },
      },
    });
  }
  return out;
}
