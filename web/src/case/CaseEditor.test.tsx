import { describe, expect, it, vi, afterEach } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { CasePage } from '../pages/CasePage.tsx';

const clinician = { username: 'dr.rossi', role: 'clinician' } as const;

function field(label: RegExp | string) {
  return screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;
}

afterEach(() => vi.unstubAllGlobals());

describe('case editor', () => {
  it('evaluates live as the seed case is typed: diagnosis, stage IIIB and the en bloc plan', () => {
    const { container } = render(<CasePage user={clinician} />);
    fireEvent.change(field('Greatest dimension (cm)'), { target: { value: '22' } });
    fireEvent.change(field('Side'), { target: { value: 'left' } });
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Macroscopic fat' })).getByLabelText('Yes'));
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Solid (non-fatty) component' })).getByLabelText('Yes'));
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'MDM2' })).getByLabelText('amplified (FISH)'));
    fireEvent.change(field('Histology (name or ICD-O-3 code)'), { target: { value: '8858/3' } });
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Reported grade' })).getByLabelText('G3'));
    expect(screen.getByTestId('fact-stage').textContent).toBe('Stage IIIB');
    expect(screen.getByTestId('fact-diagnosis').textContent).toMatch(/Dedifferentiated liposarcoma/);

    const kidney = container.querySelector('[data-organ="kidney_left"]')!;
    fireEvent.click(kidney);
    expect(kidney.getAttribute('data-state')).toBe('contacted');
    expect(kidney.getAttribute('data-plan')).toBe('resect');
    expect(kidney.getAttribute('aria-label')).toBe('left kidney: in contact with the tumour; plan: resected en bloc');
    const row = container.querySelector('[data-organ-row="kidney_left"]')!;
    expect(within(row as HTMLElement).getByText('Resected en bloc')).toBeTruthy();
    expect(screen.getAllByText(/function of the other kidney/).length).toBeGreaterThan(0);
  });

  it('shows the schema’s own message under the field and keeps the last valid evaluation', () => {
    render(<CasePage user={clinician} />);
    fireEvent.change(field('Greatest dimension (cm)'), { target: { value: '12' } });
    expect(screen.getByTestId('evaluation-status').textContent).toMatch(/Live/);
    const input = field('Greatest dimension (cm)');
    fireEvent.change(input, { target: { value: '12x' } });
    expect(input.value).toBe('12x');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const msg = document.getElementById(input.getAttribute('aria-describedby')!)!;
    expect(msg.textContent).toBe('must be a positive number ≤ 100');
    expect(screen.getByTestId('evaluation-status').textContent).toMatch(/1 field needs attention/);
    // The panel still shows the evaluation of "12" rather than going blank.
    expect(screen.getAllByText(/T3 N0 M0 GX/).length).toBeGreaterThan(0);
  });

  it('FNCLCC components: a missing component is named, all three compute the grade', () => {
    render(<CasePage user={clinician} />);
    fireEvent.change(field('Differentiation score'), { target: { value: '3' } });
    const mitoses = field('Mitoses (per 10 HPF)');
    expect(document.getElementById(mitoses.getAttribute('aria-describedby')!)!.textContent).toBe('is required');
    fireEvent.change(mitoses, { target: { value: '12' } });
    fireEvent.change(field('Necrosis (%)'), { target: { value: '30' } });
    expect(screen.getByTestId('fact-grade').textContent).toBe('G3');
    expect(screen.getByText('G3 (FNCLCC score 6)')).toBeTruthy();
  });

  it('a click on an organ cycles none → contacted → infiltrated → none, and so does Enter', () => {
    const { container } = render(<CasePage user={clinician} />);
    const duodenum = container.querySelector('[data-organ="duodenum"]')!;
    // One tab stop for the whole drawing.
    expect(container.querySelectorAll('.organ[tabindex="0"]').length).toBe(1);
    fireEvent.click(duodenum);
    expect(duodenum.getAttribute('data-state')).toBe('contacted');
    expect(duodenum.getAttribute('data-plan')).toBe('preserve');
    fireEvent.keyDown(duodenum, { key: 'Enter' });
    expect(duodenum.getAttribute('data-state')).toBe('infiltrated');
    expect(duodenum.getAttribute('data-plan')).toBe('resect');
    fireEvent.keyDown(duodenum, { key: ' ' });
    expect(duodenum.getAttribute('data-state')).toBe('none');
  });

  it('a viewer sees the case read-only', () => {
    const { container } = render(<CasePage user={{ username: 'v', role: 'viewer' }} />);
    expect((field('Greatest dimension (cm)') as HTMLInputElement).disabled).toBe(true);
    expect(container.querySelector('[data-organ="kidney_left"]')!.getAttribute('role')).toBe('img');
    expect(screen.queryByRole('button', { name: /Create case/ })).toBeNull();
  });

  it('a 409 on save shows the fields that differ and saves a merge: their other changes kept, only my fields added', async () => {
    const stored = { id: '7', version: 1, title: 'Case A', status: 'workup', case: { tumor: { sizeCm: 5, side: 'left' } }, updatedAt: '2026-01-01T10:00:00Z', updatedBy: 'a' };
    // Meanwhile a colleague moved the case to the tumour board and changed the size.
    const theirs = { ...stored, version: 2, status: 'tumour_board', case: { tumor: { sizeCm: 6, side: 'left' } }, updatedBy: 'dr.bianchi' };
    const calls: { method: string; url: string; ifMatch: string | null; body?: { status: string; case: { tumor: Record<string, unknown> } } }[] = [];
    let puts = 0;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      calls.push({ method: init.method ?? 'GET', url, ifMatch: headers.get('if-match'), ...(init.body ? { body: JSON.parse(String(init.body)) } : {}) });
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      if (init.method === 'PUT') return ++puts === 1 ? json(409, { message: 'version conflict' }) : json(200, { ...theirs, version: 3 });
      return json(200, calls.filter((c) => c.method === 'GET').length === 1 ? stored : theirs);
    });
    render(<CasePage id="7" user={clinician} />);
    const size = await screen.findByLabelText('Greatest dimension (cm)');
    fireEvent.change(size, { target: { value: '8' } });
    fireEvent.change(field('Side'), { target: { value: 'right' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save version' })));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toMatch(/Version 2 was saved by dr.bianchi/);
    expect(within(dialog).getByRole('button', { name: /Reload their version/ })).toBeTruthy();
    // Only the size was changed by both: one row with before, theirs and mine.
    const table = within(dialog).getByTestId('conflict-table');
    expect(table.querySelectorAll('tbody tr').length).toBe(1);
    expect(table.textContent).toMatch(/Greatest dimension.*5 cm.*6 cm.*8 cm/);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Save merged version' })));
    const lastPut = calls.filter((c) => c.method === 'PUT').at(-1)!;
    expect(lastPut.ifMatch).toBe('2');
    expect(lastPut.body!.status).toBe('tumour_board');
    expect(lastPut.body!.case.tumor).toEqual({ sizeCm: 8, side: 'right' });
    expect(screen.getByTestId('save-state').textContent).toBe('Version 3 · saved');
  });
});
