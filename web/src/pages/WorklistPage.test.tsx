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

  it('shows the referral status in words, the next meeting and the open navigation items', async () => {
    const withNetwork = [
      { ...summaries[0], referralStatus: 'info_requested', nextMeeting: null, openNavigation: 5 },
      { ...summaries[1], referralStatus: 'scheduled', nextMeeting: { id: 'm-1', date: '2099-03-10' }, openNavigation: 2 },
      { ...summaries[2], referralStatus: null, nextMeeting: null, openNavigation: 0 },
    ];
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ items: withNetwork, total: 3, limit: 100, offset: 0 }), { status: 200, headers: { 'content-type': 'application/json' } }));
    render(<WorklistPage user={{ username: 'ada', role: 'clinician' }} />);
    await screen.findByRole('link', { name: 'Left DD-LPS' });
    const columns = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map((row) => {
          const cells = within(row).getAllByRole('cell');
          return [within(row).getAllByRole('link')[0]!.textContent, cells[4]!.textContent, cells[5]!.textContent, cells[6]!.textContent];
        });
    // Newest change first: Midline mass (b), Left DD-LPS (a), Old model (c).
    expect(columns()).toEqual([
      ['Midline mass', 'Scheduled for a meeting', '10 Mar 2099', '2 open'],
      ['Left DD-LPS', 'Information requested', '—', '5 open'],
      ['Old model', '—', '—', '—'],
    ]);
    expect(screen.getByRole('link', { name: '10 Mar 2099' }).getAttribute('href')).toBe('#/meetings/m-1');
    fireEvent.click(screen.getByRole('button', { name: /Navigation/ }));
    expect(columns().map((c) => c[0])).toEqual(['Old model', 'Midline mass', 'Left DD-LPS']);
    fireEvent.click(screen.getByRole('button', { name: /Next meeting/ }));
    expect(columns()[0]![0]).toBe('Midline mass');
  });
});
