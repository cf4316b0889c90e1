/**
 * Immunohistochemistry and molecular markers of the case model and their
 * permitted results: a closed vocabulary (REFERENCE.md §11).
 */
export const AMPLIFICATION_RESULTS = ['amplified', 'not_amplified', 'positive', 'negative'] as const;
export const STAINING_RESULTS = ['positive', 'negative', 'focal'] as const;
export const H3K27ME3_RESULTS = ['lost', 'retained'] as const;

export const MARKERS = {
  MDM2: { label: 'MDM2', results: AMPLIFICATION_RESULTS },
  CDK4: { label: 'CDK4', results: AMPLIFICATION_RESULTS },
  panCK: { label: 'pan-cytokeratin', results: STAINING_RESULTS },
  PAX8: { label: 'PAX8', results: STAINING_RESULTS },
  CD45: { label: 'CD45 (LCA)', results: STAINING_RESULTS },
  chromogranin: { label: 'chromogranin', results: STAINING_RESULTS },
  synaptophysin: { label: 'synaptophysin', results: STAINING_RESULTS },
  desmin: { label: 'desmin', results: STAINING_RESULTS },
  SMA: { label: 'smooth muscle actin', results: STAINING_RESULTS },
  caldesmon: { label: 'h-caldesmon', results: STAINING_RESULTS },
  S100: { label: 'S100', results: STAINING_RESULTS },
  SOX10: { label: 'SOX10', results: STAINING_RESULTS },
  KIT: { label: 'KIT (CD117)', results: STAINING_RESULTS },
  DOG1: { label: 'DOG1', results: STAINING_RESULTS },
  STAT6: { label: 'STAT6 (nuclear)', results: STAINING_RESULTS },
  betaCatenin: { label: 'β-catenin (nuclear)', results: STAINING_RESULTS },
  HMB45: { label: 'HMB-45', results: STAINING_RESULTS },
  melanA: { label: 'Melan-A', results: STAINING_RESULTS },
  SALL4: { label: 'SALL4', results: STAINING_RESULTS },
  OCT34: { label: 'OCT3/4', results: STAINING_RESULTS },
  CD34: { label: 'CD34', results: STAINING_RESULTS },
  H3K27me3: { label: 'H3K27me3', results: H3K27ME3_RESULTS },
} as const;

export type MarkerName = keyof typeof MARKERS;
export const MARKER_NAMES = Object.keys(MARKERS) as MarkerName[];
export type MarkerResult<M extends MarkerName> = (typeof MARKERS)[M]['results'][number];
