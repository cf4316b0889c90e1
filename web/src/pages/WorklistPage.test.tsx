import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { PRIORITIES } from '../../../src/engine/index.ts';
import { WorklistPage } from './WorklistPage.tsx';

afterEach(() => vi.unstubAllGlobals());

/** Summaries as `GET /api/cases` sends them: no case body, the engine's columns computed by the server. */
const summaries = [
  { id: 'a', version: 1, title: 'Left DD-LPS', status: 'workup', stageGroup: 'IIIB', histology: '8858/3', nextStep: PRIORITIES['en-bloc-resection'].label, archived: false, createdAt: '2026-01-01T00:00:00Z', createdBy: 'ada', updatedAt: '2026-01-02T00:00:00Z', updatedBy: 'ada' },
  { id: 'b', version: 2, title: 'Midline mass', status: 'tumour_board', stageGroup: null, histology: null, nextStep: PRIORITIES['no-resection'].label, archived: false, createdAt: '2026-01-01T00:00:00Z', createdBy: 'ada', updatedAt: '2026-01-03T00:00:00Z', updatedBy: 'bob' },
  { id: 'c', version: 1, title: 'Old model', status: 'workup', stageGroup: null, histology: null, nextStep: null, archived: false, createdAt: '2026-01-01T00:00:00Z', createdBy: 'ada', updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'ada' },
];

function nextStepColumn(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[3]!.textContent ?? '');
}

describe('worklist page', () => {
  it('shows the server’s next step in its column and sorts by it', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ items: summaries, total: 3, limit: 100, offset: 0 }), { status: 200, headers: { 'content-type': 'application/json' } }));
    render(<WorklistPage user={{ username: 'ada', role: 'clinician' }} />);
    await screen.findByRole('link', { name: 'Left DD-LPS' });

    // Newest change first by default; a case without a next step says so with a dash.
    expect(nextStepColumn()).toEqual([PRIORITIES['no-resection'].label, PRIORITIES['en-bloc-resection'].label, '—']);

    fireEvent.click(screen.getByRole('button', { name: /Next step/ }));
    expect(screen.getByRole('columnheader', { name: /Next step/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(nextStepColumn()).toEqual(['—', PRIORITIES['en-bloc-resection'].label, PRIORITIES['no-resection'].label]);

    fireEvent.click(screen.getByRole('button', { name: /Next step/ }));
    expect(nextStepColumn()).toEqual([PRIORITIES['no-resection'].label, PRIORITIES['en-bloc-resection'].label, '—']);

    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'no resection' } });
    expect(screen.getAllByRole('row').slice(1).map((row) => within(row).getByRole('link').textContent)).toEqual(['Midline mass']);
  });
});
