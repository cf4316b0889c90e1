import type { Draft } from './draft.ts';

/**
 * Starting points for the commonest presentations: only findings the name of
 * the template states, nothing inferred. Everything stays editable.
 */
export interface CaseTemplate {
  readonly id: string;
  readonly label: string;
  readonly draft: Draft;
}

export const CASE_TEMPLATES: readonly CaseTemplate[] = [
  {
    id: 'left-fatty',
    label: 'Left retroperitoneal fatty mass',
    draft: { schemaVersion: 2, presentation: 'primary', tumor: { side: 'left', imaging: { macroscopicFat: true } }, pathology: {} },
  },
  {
    id: 'right-fatty',
    label: 'Right retroperitoneal fatty mass',
    draft: { schemaVersion: 2, presentation: 'primary', tumor: { side: 'right', imaging: { macroscopicFat: true } }, pathology: {} },
  },
  {
    id: 'hypervascular-para-aortic',
    label: 'Hypervascular para-aortic mass',
    draft: { schemaVersion: 2, presentation: 'primary', tumor: { side: 'left', imaging: { hypervascular: true, solidComponent: true, macroscopicFat: false }, contacts: ['aorta'] }, pathology: {} },
  },
  {
    id: 'ivc-mass',
    label: 'Solid mass arising from the IVC',
    draft: { schemaVersion: 2, presentation: 'primary', tumor: { side: 'right', imaging: { solidComponent: true, macroscopicFat: false, vesselOrigin: 'ivc' }, contacts: ['ivc'] }, pathology: {} },
  },
  {
    id: 'recurrent',
    label: 'Recurrent retroperitoneal sarcoma',
    draft: { schemaVersion: 2, presentation: 'recurrent', tumor: {}, pathology: {} },
  },
];
