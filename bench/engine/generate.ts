import { GRADES, MARGINS, MARKERS, ORGAN_IDS, HISTOLOGIES, type CaseInput, type MarkerName } from '../../src/engine/index.ts';
import { seededRandom } from '../../src/shared/seeded-random.ts';


/** Generates valid, varied cases across the case model's vocabularies. */
export function caseGenerator(seed: number): () => CaseInput {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = <T>(p: number, value: () => T): T | undefined => (random() < p ? value() : undefined);
  const markerNames = Object.keys(MARKERS) as MarkerName[];
  let counter = 0;
  return () => {
    counter += 1;
    const markers: Record<string, string> = {};
    const markerCount = Math.floor(random() * 6);
    for (let i = 0; i < markerCount; i++) {
      const name = pick(markerNames);
      markers[name] = pick(MARKERS[name].results as readonly string[]);
    }
    const organs = () => Array.from({ length: Math.floor(random() * 4) }, () => pick(ORGAN_IDS));
    return {
      id: `bench-${counter}`,
      patient: { ageYears: Math.floor(random() * 90) + 18, sex: pick(['female', 'male'] as const) },
      presentation: random() < 0.85 ? 'primary' : 'recurrent',
      tumor: {
        sizeCm: maybe(0.9, () => Math.round((0.5 + random() * 40) * 10) / 10),
        nodes: maybe(0.3, () => (random() < 0.95 ? 'N0' : 'N1')),
        metastasis: maybe(0.3, () => (random() < 0.9 ? 'M0' : 'M1')),
        side: pick(['left', 'right', 'midline', 'pelvic'] as const),
        imaging: { macroscopicFat: random() < 0.5, solidComponent: random() < 0.5, hypervascular: random() < 0.1 },
        contacts: organs(),
        infiltrates: maybe(0.3, organs),
      },
      pathology: {
        histology: maybe(0.7, () => pick(HISTOLOGIES).code),
        markers,
        fnclcc: maybe(0.5, () => ({
          differentiation: pick([1, 2, 3] as const),
          mitosesPer10Hpf: Math.floor(random() * 40),
          necrosisPercent: Math.floor(random() * 100),
        })),
        grade: maybe(0.4, () => pick(GRADES)),
        specimen: pick(['core_biopsy', 'resection'] as const),
      },
      surgery: maybe(0.3, () => ({ margin: pick(MARGINS) })),
    };
  };
}
