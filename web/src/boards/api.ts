import { request } from '../api.ts';

/** The tumour-board API as the web app uses it (server: src/server/routes/meetings.ts). */

export interface Attendee {
  readonly name: string;
  readonly role?: string;
  readonly email?: string;
}
export interface AttendanceEntry {
  readonly name: string;
  readonly role?: string;
  readonly present: boolean;
}
export interface Meeting {
  readonly id: string;
  readonly title: string;
  readonly date: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly durationMinutes: number;
  readonly minutesPerItem: number;
  readonly place: string | null;
  readonly videoLink: string | null;
  readonly chair: { readonly userId: string; readonly username: string };
  readonly expectedAttendees: Attendee[];
  readonly attendance: AttendanceEntry[] | null;
  readonly itemCount: number;
}
export interface AgendaItem {
  readonly id: string;
  readonly caseId: string;
  readonly caseTitle: string;
  readonly caseVersion: number;
  readonly position: number;
  readonly presenter: string | null;
  readonly question: string | null;
  readonly slot: { readonly start: string; readonly end: string; readonly overrun: boolean };
  readonly decision: { readonly id: string; readonly signed: boolean } | null;
}
export interface MeetingDetail extends Meeting {
  readonly agenda: AgendaItem[];
}
export interface BoardDecision {
  readonly id: string;
  readonly caseId: string;
  readonly caseVersion: number;
  readonly date: string;
  readonly attendees: string[];
  readonly decision: string;
  readonly strategyIds: string[];
  readonly intent: string | null;
  readonly nextSteps: string | null;
  readonly concordance: string | null;
  readonly deviationReason: string | null;
  readonly deviationText: string | null;
  readonly signedBy: string | null;
  readonly signedAt: string | null;
  readonly supersedesId: string | null;
  readonly supersededById: string | null;
}
export interface DecisionDraft {
  readonly decision: string;
  readonly strategyIds: string[];
  readonly intent?: string;
  readonly nextSteps?: string;
  readonly deviation?: { reason: string; text?: string };
}
export interface MeetingDraft {
  readonly title: string;
  readonly date: string;
  readonly startTime: string;
  readonly durationMinutes: number;
  readonly minutesPerItem: number;
  readonly place?: string;
  readonly videoLink?: string;
  readonly chair: string;
  readonly expectedAttendees: Attendee[];
}

export interface Quality {
  readonly decisions: number;
  readonly applicable: number;
  readonly concordant: number;
  readonly rate: number | null;
  readonly justified: number;
  readonly unjustified: number;
  readonly reasons: Record<string, number>;
}

const enc = encodeURIComponent;

export const boardsApi = {
  meetings: async (when: 'upcoming' | 'past'): Promise<Meeting[]> => (await request<{ items: Meeting[] }>('GET', `/api/meetings?when=${when}`)).items,
  createMeeting: (m: MeetingDraft): Promise<Meeting> => request('POST', '/api/meetings', m),
  quality: (): Promise<Quality> => request('GET', '/api/meetings/quality'),
  meeting: (id: string): Promise<MeetingDetail> => request('GET', `/api/meetings/${enc(id)}`),
  addItem: (id: string, caseId: string, presenter?: string): Promise<{ items: AgendaItem[] }> =>
    request('POST', `/api/meetings/${enc(id)}/items`, { caseId, ...(presenter ? { presenter } : {}) }),
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
