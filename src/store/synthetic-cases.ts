import type { CaseInput } from '../engine/index.ts';
import type { CaseStatus } from './types.ts';
import { seededRandom } from '../shared/seeded-random.ts';

/**
 * Synthetic cases for load tests and benchmarks: valid case-model v2 documents with a
 * realistic mix, drawn from a seeded generator so every run produces the same cases.
 * Nothing here is a real patient: titles start with SYNTHETIC_TITLE_PREFIX, names come
 * from a short list of common surnames, hospital numbers are `SYN-…`.
 *
 * Histology mix: REFERENCE.md §2 ("rough prevalence among RPS", GRONCHI-2016, TARPSWG
 * series): liposarcoma ~55–60 % (well-differentiated ~25–30 %, dedifferentiated ~30 %),
 * leiomyosarcoma ~20 %, solitary fibrous tumour ~6 %, MPNST and UPS a few % each.
 * A share of cases is still in work-up without tissue (no histology recorded).
 */

export const SYNTHETIC_TITLE_PREFIX = '[synthetic]';


type Weighted<T> = readonly (readonly [T, number])[];

function weightedPicker<T>(random: () => number, table: Weighted<T>): () => T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  return () => {
    let r = random() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return table[table.length - 1]![0];
  };
}

interface HistologyProfile {
  readonly code: string;
  /** Median greatest dimension, cm (liposarcomas present larger than leiomyosarcomas). */
  readonly medianCm: number;
  readonly fat: boolean;
  readonly grades: readonly ('G1' | 'G2' | 'G3')[];
  readonly markers: Readonly<Record<string, string>>;
  readonly hypervascular?: boolean;
}

const NEGATIVE_SCREEN = { panCK: 'negative', PAX8: 'negative', CD45: 'negative', chromogranin: 'negative' } as const;

/** Weights follow REFERENCE.md §2 (percent of cases with a histology). */
const HISTOLOGIES: Weighted<HistologyProfile> = [
  [{ code: '8851/3', medianCm: 24, fat: true, grades: ['G1'], markers: { MDM2: 'amplified', CDK4: 'amplified' } }, 27],
  [{ code: '8858/3', medianCm: 20, fat: true, grades: ['G2', 'G3', 'G3'], markers: { MDM2: 'amplified', CDK4: 'amplified', ...NEGATIVE_SCREEN } }, 30],
  [{ code: '8890/3', medianCm: 11, fat: false, grades: ['G2', 'G3'], markers: { desmin: 'positive', SMA: 'positive', caldesmon: 'positive', ...NEGATIVE_SCREEN } }, 20],
  [{ code: '8815/1', medianCm: 13, fat: false, grades: ['G1', 'G2'], markers: { STAT6: 'positive', CD34: 'positive' }, hypervascular: true }, 6],
  [{ code: '9540/3', medianCm: 10, fat: false, grades: ['G2', 'G3'], markers: { S100: 'focal', SOX10: 'focal', H3K27me3: 'lost' } }, 3],
  [{ code: '8802/3', medianCm: 14, fat: false, grades: ['G3'], markers: { ...NEGATIVE_SCREEN, MDM2: 'not_amplified' } }, 3],
  [{ code: '8852/3', medianCm: 16, fat: true, grades: ['G2'], markers: { MDM2: 'not_amplified' } }, 2],
  [{ code: '8854/3', medianCm: 15, fat: false, grades: ['G3'], markers: { MDM2: 'not_amplified' } }, 2],
  [{ code: '8811/3', medianCm: 12, fat: false, grades: ['G2', 'G3'], markers: {} }, 2],
  [{ code: '9040/3', medianCm: 9, fat: false, grades: ['G3'], markers: {} }, 1],
  [{ code: '8936/3', medianCm: 10, fat: false, grades: ['G2'], markers: { KIT: 'positive', DOG1: 'positive' } }, 2],
  [{ code: '9590/3', medianCm: 9, fat: false, grades: [], markers: { CD45: 'positive', panCK: 'negative' } }, 2],
];

const SIDES: Weighted<'left' | 'right' | 'midline' | 'pelvic'> = [['left', 40], ['right', 40], ['midline', 10], ['pelvic', 10]];

/** Organs a mass on each side commonly abuts (REFERENCE.md §5 anatomy; seed chapter's compartments). */
const NEIGHBOURS: Record<'left' | 'right' | 'midline' | 'pelvic', readonly string[]> = {
  left: ['kidney_left', 'colon_descending', 'psoas_left', 'adrenal_left', 'pancreas_body_tail', 'spleen', 'ureter_left', 'gonadal_vessels_left', 'renal_vein_left', 'diaphragm_left'],
  right: ['kidney_right', 'colon_ascending', 'psoas_right', 'duodenum', 'liver', 'ivc', 'ureter_right', 'adrenal_right', 'gonadal_vessels_right', 'pancreas_head'],
  midline: ['aorta', 'ivc', 'duodenum', 'superior_mesenteric_artery', 'superior_mesenteric_vein', 'pancreas_head', 'small_bowel', 'spine'],
  pelvic: ['colon_sigmoid', 'bladder', 'iliac_artery_left', 'iliac_vein_right', 'iliacus_right', 'femoral_nerve_left', 'lumbosacral_plexus_right'],
};

const STATUSES: Weighted<CaseStatus> = [['workup', 25], ['tumour_board', 15], ['treatment', 20], ['surveillance', 35], ['closed', 5]];

const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans',
  'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Martin', 'Bernard', 'Dubois', 'Thomas',
  'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano',
  'Colombo', 'Ricci', 'Marino', 'Greco', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker',
  'Garcia', 'Fernandez', 'Lopez', 'Martinez', 'Sanchez', 'Perez', 'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker',
  'Visser', 'Nowak', 'Kowalski', 'Novak', 'Horvat', 'Andersson', 'Nilsson', 'Hansen', 'Nielsen', 'Murphy', 'Kelly',
] as const;
const INITIALS = 'ABCDEFGHIJKLMNOPRSTW';
const HOSPITALS = ['Northgate General', 'St Elsewhere', 'Riverside University Hospital', 'County Hospital', 'Lakeside Medical Centre', 'Hillcrest Hospital'];
const QUESTIONS = [
  'Resectable? Plan for en bloc resection.',
  'Biopsy route and need for pre-operative treatment?',
  'Recurrence after previous resection: options?',
  'Incidental retroperitoneal mass on CT: work-up?',
  'Post-operative review: margins and follow-up.',
];

/** Log-normal around a median, clamped to what the case model accepts. */
function sizeAround(random: () => number, medianCm: number): number {
  const u = Math.max(random(), 1e-9);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.round(Math.min(60, Math.max(1.5, medianCm * Math.exp(0.45 * normal))) * 10) / 10;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface SyntheticCase {
  readonly title: string;
  readonly status: CaseStatus;
  readonly case: CaseInput;
}

/**
 * Returns a function that draws the next synthetic case. `now` anchors every date
 * (diagnoses fall in the three years before it), so a seed and a date give one data set.
 */
export function syntheticCaseGenerator(seed: number, now = Date.UTC(2026, 10, 30)): () => SyntheticCase {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const histology = weightedPicker(random, HISTOLOGIES);
  const side = weightedPicker(random, SIDES);
  const status = weightedPicker(random, STATUSES);
  const DAY = 86_400_000;
  let counter = 0;
  return () => {
    counter += 1;
    const profile = histology();
    const where = side();
    const caseStatus = status();
    // Work-up cases mostly have no tissue yet; everyone else has a histology.
    const hasTissue = caseStatus !== 'workup' || random() < 0.3;
    const sizeCm = sizeAround(random, profile.medianCm);
    const sex = random() < 0.5 ? ('female' as const) : ('male' as const);
    const ageYears = Math.min(90, Math.max(18, Math.round(58 + 12 * (random() + random() + random() - 1.5) * 1.4)));
    const surname = pick(SURNAMES);
    const initial = INITIALS[Math.floor(random() * INITIALS.length)]!;
    const imagingMs = now - Math.floor(random() * 3 * 365) * DAY;
    const imagingDate = isoDate(imagingMs);
    const contacts = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(NEIGHBOURS[where])))];
    const infiltrates = random() < 0.25 ? [contacts[0]!] : undefined;
    const recurrent = random() < 0.15;
    const modality = random() < 0.8 ? ('CT' as const) : ('MRI' as const);
    const priorMs = imagingMs - (60 + Math.floor(random() * 120)) * DAY;

    const c: CaseInput = {
      schemaVersion: 2,
      id: `syn-${seed}-${counter}`,
      patient: {
        ageYears,
        sex,
        name: `${surname}, ${initial}.`,
        identifiers: [{ kind: 'mrn', system: 'urn:retroplan:synthetic', value: `SYN-${String(counter).padStart(7, '0')}` }],
        ecog: pick([0, 0, 1, 1, 2] as const),
      },
      board: { question: pick(QUESTIONS), referringHospital: pick(HOSPITALS) },
      presentation: recurrent ? 'recurrent' : 'primary',
      tumor: {
        sizeCm,
        side: where,
        nodes: random() < 0.97 ? 'N0' : 'N1',
        metastasis: random() < 0.9 ? 'M0' : 'M1',
        imaging: {
          macroscopicFat: profile.fat,
          solidComponent: profile.code !== '8851/3',
          hypervascular: profile.hypervascular === true,
          date: imagingDate,
          modality,
          ...(random() < 0.3
            ? { series: [{ date: isoDate(priorMs), modality, greatestDimensionCm: Math.max(1, Math.round(sizeCm * 0.85 * 10) / 10) }, { date: imagingDate, modality, greatestDimensionCm: sizeCm }] }
            : {}),
        },
        contacts,
        ...(infiltrates ? { infiltrates } : {}),
      },
      pathology: hasTissue
        ? {
            histology: profile.code,
            specimen: caseStatus === 'surveillance' || caseStatus === 'closed' ? 'resection' : 'core_biopsy',
            markers: profile.markers,
            ...(profile.grades.length > 0 ? { grade: pick(profile.grades) } : {}),
            date: isoDate(imagingMs + 14 * DAY),
          }
        : {},
      ...(caseStatus === 'surveillance' || caseStatus === 'closed'
        ? { surgery: { margin: pick(['R0', 'R0', 'R1', 'R1', 'R2'] as const), date: isoDate(imagingMs + 45 * DAY) } }
        : {}),
      ...(recurrent ? { history: [{ kind: 'surgery', resectionType: pick(['complete', 'shell_out', 'piecemeal'] as const), where: 'elsewhere', date: isoDate(priorMs) }] } : {}),
    };
    const title = `${SYNTHETIC_TITLE_PREFIX} ${surname} ${initial}. — ${sizeCm} cm ${where} retroperitoneal mass`;
    return { title, status: caseStatus, case: c };
  };
}
