/**
 * Published benchmarks a centre's audit is judged against (REFERENCE-2 §6.2, all [V]
 * from the cited abstracts). Numbers as published; `population` says to whom each applies.
 */
export interface Benchmark {
  readonly value: number;
  readonly population: string;
  readonly source: string;
  /** Whether a higher rate is worse (complications, mortality) or better (complete resection). */
  readonly higherIsWorse: boolean;
}

export const BENCHMARKS = {
  'macroscopically-complete': { value: 0.833, population: 'first local recurrence resected (TARPSWG LR1, 681 patients)', source: 'TARPSWG-REC-MORB-2021', higherIsWorse: false },
  'r0-rate': { value: 0.82, population: 'primary RPS, high-volume hospitals (NCDB)', source: 'VOLUME-SARCOMA-2018', higherIsWorse: false },
  'clavien-dindo-3-plus': { value: 0.164, population: '1,007 primary resections (TARPSWG)', source: 'MACNEILL-2018', higherIsWorse: true },
  'mortality-30-day': { value: 0.018, population: '1,007 primary resections (TARPSWG)', source: 'MACNEILL-2018', higherIsWorse: true },
  'mortality-90-day': { value: 0.032, population: 'high-volume hospitals (NCDB; 5.7 % at low volume)', source: 'KEUNG-2018', higherIsWorse: true },
  reoperation: { value: 17 / 100, population: 'single-centre example (≈ 17 % re-operated)', source: 'LJUBLJANA-2022', higherIsWorse: true },
  'textbook-outcome': { value: 0.349, population: '627 patients, 8 US centres (USSC)', source: 'WISEMAN-2020', higherIsWorse: false },
  'overall-survival-5-year': { value: 0.67, population: 'all primary RPS (1,007)', source: 'GRONCHI-2016', higherIsWorse: false },
  'local-recurrence-5-year': { value: 0.259, population: 'primary RPS, crude cumulative incidence (TARPSWG)', source: 'GRONCHI-2016', higherIsWorse: true },
  'distant-metastasis-5-year': { value: 0.21, population: 'primary RPS, crude cumulative incidence (TARPSWG)', source: 'GRONCHI-2016', higherIsWorse: true },
} as const satisfies Record<string, Benchmark>;
export type IndicatorId = keyof typeof BENCHMARKS;

/** Full citations of the audit's sources (REFERENCE-2, Sources). */
export const AUDIT_SOURCES: Record<string, string> = {
  'TARPSWG-REC-MORB-2021': 'TARPSWG, resection of first locally recurrent RPS (LR1, 681 patients, 22 centres), 2021',
  'VOLUME-SARCOMA-2018': 'The volume–outcome relationship in retroperitoneal soft tissue sarcoma, Sarcoma 2018;2018:3056562',
  'MACNEILL-2018': 'MacNeill et al. (TARPSWG), Ann Surg 2018: morbidity after radical resection of primary RPS',
  'KEUNG-2018': 'Keung, Chiang, Cormier et al., Cancer 2018: low-volume hospitals and RPS outcomes (NCDB, 6,950 patients)',
  'LJUBLJANA-2022': 'Novak, Bohanec, Perhavec et al., Zdrav Vestn 2022;91: primary RPS at the Institute of Oncology Ljubljana',
  'WISEMAN-2020': 'Wiseman, Ethun, Cloyd et al., J Surg Oncol 2020;122:1189: textbook outcomes after RPS resection (USSC)',
  'GRONCHI-2016': 'Gronchi et al., Ann Surg 2016;263:1002 (1,007 primary RPS)',
  'SPIEGELHALTER-2002': 'Spiegelhalter, Funnel plots for institutional comparison, Qual Saf Health Care 2002;11:390',
  'SPIEGELHALTER-2005': 'Spiegelhalter, Funnel plots for comparing institutional performance, Stat Med 2005;24:1185',
};
