import type { Answer, Mark, QuestionView } from '../../../src/practice/examiner.ts';
import type { PracticeQuestion } from '../../../src/practice/schema.ts';
import { request } from '../api.ts';

/** The practice API (src/server/routes/practice.ts) as the practice page uses it. */

export interface PracticeCaseSummary {
  readonly id: string;
  readonly title: string;
  readonly topics: string[];
  readonly stages: number;
}

export interface PracticeStageView {
  readonly id: string;
  readonly title: string;
  readonly story: string;
  readonly case: unknown;
  readonly findings?: unknown;
  readonly questions: (QuestionView & { readonly parameters?: PracticeQuestion['parameters'] })[];
}

export interface PracticeCaseView {
  readonly id: string;
  readonly title: string;
  readonly topics: string[];
  readonly stages: PracticeStageView[];
}

export interface StoredMark extends Mark {
  readonly stage: string;
}

export interface Attempt {
  readonly id: number;
  readonly userId: string;
  readonly username: string;
  readonly caseId: string;
  readonly score: number;
  readonly max: number;
  readonly marks: StoredMark[];
  readonly createdAt: string;
}

export interface UserRow {
  readonly id: string;
  readonly username: string;
  readonly role: string;
}

const userQuery = (user?: string) => (user ? `?user=${encodeURIComponent(user)}` : '');

export const practiceApi = {
  cases: async (): Promise<PracticeCaseSummary[]> => (await request<{ items: PracticeCaseSummary[] }>('GET', '/api/practice/cases')).items,
  case: (id: string): Promise<PracticeCaseView> => request('GET', `/api/practice/cases/${encodeURIComponent(id)}`),
  submit: (id: string, answers: Record<string, Answer>): Promise<Attempt> => request('POST', `/api/practice/cases/${encodeURIComponent(id)}/attempts`, { answers }),
  attempts: async (user?: string): Promise<Attempt[]> => (await request<{ items: Attempt[] }>('GET', `/api/practice/attempts${userQuery(user)}`)).items,
  csvUrl: (user?: string): string => `/api/practice/attempts.csv${userQuery(user)}`,
  users: async (): Promise<UserRow[]> => (await request<{ items: UserRow[] }>('GET', '/api/users')).items,
};
