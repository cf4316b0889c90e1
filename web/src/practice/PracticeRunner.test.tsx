import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { viewQuestion } from '../../../src/practice/examiner.ts';
import { PracticeCaseSchema } from '../../../src/practice/schema.ts';
import pelvicLms from '../../../src/practice/cases/25-pelvic-lms-on-the-iliac-vessels.json' with { type: 'json' };
import { PracticeRunner } from './PracticeRunner.tsx';

afterEach(() => vi.unstubAllGlobals());

/** The case as GET /api/practice/cases/:id serves it: stories, cases, questions — no expected answers. */
const parsed = PracticeCaseSchema.parse(pelvicLms);
const served = {
  id: parsed.id,
  title: parsed.title,
  topics: parsed.topics,
  stages: parsed.stages.map((s) => ({ id: s.id, title: s.title, story: s.story, case: s.case, ...(s.findings ? { findings: s.findings } : {}), questions: s.questions.map((q) => viewQuestion(s, q)) })),
};

function pick(question: string, value: string) {
  const box = document.querySelector<HTMLElement>(`fieldset[data-question="${question}"]`)!;
  fireEvent.click(box.querySelector<HTMLInputElement>(`input[value="${value}"]`)!);
}
const markOf = (question: string) => within(document.querySelector<HTMLElement>(`fieldset[data-question="${question}"]`)!).getByTestId('mark');

describe('practice runner', () => {
  it('two stages: each marked as answered (the answers in the case file), a wrong one retried, then all answers sent once', async () => {
    const posted: unknown[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posted.push(JSON.parse(String(init.body)));
        return new Response(JSON.stringify({ id: 7, userId: 'u', username: 'u', caseId: parsed.id, score: 5, max: 5, marks: [], createdAt: '2026-12-01T10:00:00Z' }), { status: 201 });
      }
      expect(url).toBe(`/api/practice/cases/${parsed.id}`);
      return new Response(JSON.stringify(served), { status: 200 });
    });
    render(<PracticeRunner caseId={parsed.id} onSaved={() => undefined} />);
    await screen.findByRole('heading', { name: 'Stage 1 of 2: The plan' });

    // Stage 1 (case file 25): grade G2, stage IIIB, compartment not determined, en bloc the sigmoid colon.
    pick('plan/grade', 'G3');
    pick('plan/stage', 'IIIB');
    pick('plan/compartment', 'not-determined');
    pick('plan/en-bloc', 'colon_sigmoid');
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    expect(markOf('plan/grade').textContent).toMatch(/^Not right\. The engine's answer: G2/);
    expect(markOf('plan/stage').textContent).toMatch(/^Right\./);
    expect(markOf('plan/en-bloc').textContent).toMatch(/^Right\./);
    expect(screen.getByTestId('stage-score').textContent).toBe('This stage: 3 of 4');
    expect(screen.queryByRole('button', { name: 'Next stage' })).not.toBeNull();

    fireEvent.click(within(markOf('plan/grade')).getByRole('button', { name: 'Try this question again' }));
    pick('plan/grade', 'G2');
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    expect(markOf('plan/grade').textContent).toMatch(/^Right\./);
    expect(screen.getByTestId('stage-score').textContent).toBe('This stage: 4 of 4');

    fireEvent.click(screen.getByRole('button', { name: 'Next stage' }));
    await screen.findByRole('heading', { name: 'Stage 2 of 2: In theatre' });
    pick('theatre/decision', 'resect-iliac-artery-reconstruct');
    fireEvent.click(screen.getByRole('button', { name: 'Check my answers' }));
    expect(markOf('theatre/decision').textContent).toMatch(/^Right\./);
    expect(markOf('theatre/decision').textContent).toMatch(/Sources: /);
    fireEvent.click(screen.getByRole('button', { name: 'Finish and save the attempt' }));
    await screen.findByTestId('attempt-saved');
    expect(posted).toEqual([
      { answers: { 'plan/grade': 'G2', 'plan/stage': 'IIIB', 'plan/compartment': 'not-determined', 'plan/en-bloc': ['colon_sigmoid'], 'theatre/decision': 'resect-iliac-artery-reconstruct' } },
    ]);
  });
});
