import type { IntraopDecision, IntraopFinding } from '../../../src/engine/index.ts';
import { request } from '../api.ts';

/** The intra-operative events API (src/server/routes/intraop.ts) as the theatre screen uses it. */

export type LogKind = 'finding' | 'decision' | 'note';

export interface IntraopEntryBody {
  readonly kind: LogKind;
  readonly findings?: IntraopFinding[];
  readonly note?: string;
}

export interface IntraopEventView {
  readonly id: number;
  readonly caseId: string;
  readonly caseVersion: number;
  readonly kind: LogKind;
  readonly findings: IntraopFinding[];
  readonly decision: IntraopDecision | null;
  readonly note: string | null;
  readonly author: string;
  readonly createdAt: string;
  readonly clientId: string | null;
  readonly takenOnVersion: number | null;
  readonly recordedAt: string | null;
}

export interface IntraopWriteView extends IntraopEventView {
  readonly duplicate: boolean;
  readonly caseChanged: boolean;
}

const path = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/intraop`;

export const intraopApi = {
  list: async (caseId: string): Promise<IntraopEventView[]> => (await request<{ items: IntraopEventView[] }>('GET', path(caseId))).items,
  send: (caseId: string, body: IntraopEntryBody & { clientId: string; takenOnVersion: number; recordedAt: string }): Promise<IntraopWriteView> =>
    request('POST', path(caseId), body),
};
