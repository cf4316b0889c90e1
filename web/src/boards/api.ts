import type { z } from 'zod';
import type { AgendaItemSchema, MeetingCreateBody, MeetingDetailSchema, MeetingSchema, QualitySchema } from '../../../src/server/board-schemas.ts';
import type { DecisionSchema } from '../../../src/server/schemas.ts';
import { request } from '../api.ts';

/** The tumour-board API as the web app uses it (server: src/server/routes/meetings.ts). */

// The response and request shapes are the server's own zod schemas (one source of truth).
export type Meeting = z.output<typeof MeetingSchema>;
export type Attendee = Meeting['expectedAttendees'][number];
export type AttendanceEntry = NonNullable<Meeting['attendance']>[number];
export type AgendaItem = z.output<typeof AgendaItemSchema>;
export type MeetingDetail = z.output<typeof MeetingDetailSchema>;
export type BoardDecision = z.output<typeof DecisionSchema>;
export interface DecisionDraft {
  readonly decision: string;
  readonly strategyIds: string[];
  readonly intent?: string;
  readonly nextSteps?: string;
  readonly deviation?: { reason: string; text?: string };
}
export type MeetingDraft = z.input<typeof MeetingCreateBody>;

export type Quality = z.output<typeof QualitySchema>;

const enc = encodeURIComponent;

export const boardsApi = {
  meetings: async (when: 'upcoming' | 'past'): Promise<Meeting[]> => (await request<{ items: Meeting[] }>('GET', `/api/meetings?when=${when}`)).items,
  createMeeting: (m: MeetingDraft): Promise<Meeting> => request('POST', '/api/meetings', m),
  quality: (): Promise<Quality> => request('GET', '/api/meetings/quality'),
  meeting: (id: string): Promise<MeetingDetail> => request('GET', `/api/meetings/${enc(id)}`),
  addItem: (id: string, caseId: string, presenter?: string, referralId?: string): Promise<{ items: AgendaItem[] }> =>
    request('POST', `/api/meetings/${enc(id)}/items`, { caseId, ...(presenter ? { presenter } : {}), ...(referralId ? { referralId } : {}) }),
  reorder: (id: string, itemIds: string[]): Promise<{ items: AgendaItem[] }> => request('PUT', `/api/meetings/${enc(id)}/items/order`, { itemIds }),
  removeItem: (id: string, itemId: string): Promise<{ items: AgendaItem[] }> => request('DELETE', `/api/meetings/${enc(id)}/items/${enc(itemId)}`),
  attendance: (id: string, attendees: AttendanceEntry[]): Promise<Meeting> => request('PUT', `/api/meetings/${enc(id)}/attendance`, { attendees }),
  decision: (id: string): Promise<BoardDecision> => request('GET', `/api/decisions/${enc(id)}`),
  recordDecision: (caseId: string, agendaItemId: string, d: DecisionDraft): Promise<BoardDecision> => request('POST', `/api/cases/${enc(caseId)}/decisions`, { ...d, agendaItemId }),
  reviseDecision: (id: string, d: DecisionDraft): Promise<BoardDecision> => request('PUT', `/api/decisions/${enc(id)}`, d),
  sign: (id: string): Promise<BoardDecision> => request('POST', `/api/decisions/${enc(id)}/sign`),
  amend: (id: string, d: DecisionDraft): Promise<BoardDecision> => request('POST', `/api/decisions/${enc(id)}/amendments`, d),
  invitationHref: (id: string) => `/api/meetings/${enc(id)}/invitation.ics`,
  letterHref: (id: string) => `/api/decisions/${enc(id)}/letter.pdf`,
  summaryHref: (id: string) => `/api/decisions/${enc(id)}/patient-summary.pdf`,
};
