import { describe, expect, it, vi, afterEach } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { filterRows, toRow } from './WorklistPage.tsx';
import { versionRows } from './HistoryPage.tsx';
import { LoginPage } from './LoginPage.tsx';
import { planActions } from '../anatomy/plan.ts';
import { evaluate } from '../../../src/engine/index.ts';
import { cycleOrgan, organState, setAt } from '../case/draft.ts';

afterEach(() => vi.unstubAllGlobals());

const seed = {
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
  pathology: { histology: '8858/3', grade: 'G3', markers: { MDM2: 'amplified' } },
};

describe('worklist rows', () => {
  it('derive stage, histology and next step from the stored case with the engine', () => {
    const row = toRow({ id: '1', version: 1, title: 'A', status: 'workup', updatedAt: '2026-01-01T00:00:00Z', case: seed as never });
    expect(row.stageGroup).toBe('IIIB');
    expect(row.histology).toBe('Dedifferentiated liposarcoma');
    expect(row.nextStep).toBe('En bloc resection with contiguous organs');
  });
  it('filter by search text, status and stage', () => {
    const rows = [
      toRow({ id: '1', version: 1, title: 'Left DD-LPS', status: 'workup', updatedAt: '', case: seed as never }),
      toRow({ id: '2', version: 1, title: 'Pelvic mass', status: 'tumour_board', updatedAt: '', case: {} }),
    ];
    expect(filterRows(rows, 'pelvic', '', '', '').map((r) => r.id)).toEqual(['2']);
    expect(filterRows(rows, '', 'workup', '', '').map((r) => r.id)).toEqual(['1']);
    expect(filterRows(rows, '', '', 'IIIB', '').map((r) => r.id)).toEqual(['1']);
    expect(filterRows(rows, 'liposarcoma', '', '', '').map((r) => r.id)).toEqual(['1']);
    // The next step's text is searched too.
    expect(filterRows(rows, 'en bloc resection', '', '', '').map((r) => r.id)).toEqual(['1']);
  });

  it('marks a stage without a tissue diagnosis as provisional', () => {
    const row = toRow({ id: '3', version: 1, title: 'Hypervascular mass', status: 'workup', updatedAt: '', case: { tumor: { sizeCm: 6, side: 'left', imaging: { hypervascular: true } } } as never });
    expect(row.stageGroup).toBe('IB');
    expect(row.provisional).toBe(true);
  });
});

describe('history', () => {
  it('lists who changed which fields, newest first', () => {
    const rows = versionRows([
      { version: 1, title: 'A', status: 'workup', case: { tumor: { sizeCm: 20 } }, createdAt: '2026-01-01T00:00:00Z', author: 'a' },
      { version: 2, title: 'A', status: 'tumour_board', case: { tumor: { sizeCm: 22, contacts: ['kidney_left'] } }, createdAt: '2026-01-02T00:00:00Z', author: 'b' },
    ]);
    expect(rows.map((r) => [r.version, r.author, r.changed])).toEqual([
      [2, 'b', ['status', 'case.tumor.contacts', 'case.tumor.sizeCm']],
      [1, 'a', ['created']],
    ]);
    // Old → new values, in words.
    expect(rows[0]!.changes).toEqual([
      { path: 'status', before: 'Work-up', after: 'Tumour board' },
      { path: 'tumor.contacts', before: 'not recorded', after: 'Left kidney' },
      { path: 'tumor.sizeCm', before: '20 cm', after: '22 cm' },
    ]);
  });
});

describe('resection plan on the diagram', () => {
  it('colours the seed plan: kidney and colon en bloc; infiltrated aorta is a criterion of unresectability', () => {
    const r = evaluate(seed);
    if (!r.ok) throw new Error('seed invalid');
    expect([...planActions(r.value.resectionPlan)]).toEqual([
      ['kidney_left', 'resect'],
      ['colon_descending', 'resect'],
    ]);
    let draft = setAt(seed, 'tumor.infiltrates', ['aorta']);
    draft = cycleOrgan(draft, 'ivc');
    expect(organState(draft, 'ivc')).toBe('contacted');
    const r2 = evaluate(draft);
    if (!r2.ok) throw new Error(JSON.stringify(r2.errors));
    const plan = planActions(r2.value.resectionPlan);
    expect(plan.get('aorta')).toBe('unresectable');
    expect(plan.get('ivc')).toBe('dissect');
  });
  it('an organ is never both contacted and infiltrated', () => {
    let d = cycleOrgan({}, 'spleen');
    d = cycleOrgan(d, 'spleen');
    expect(d).toEqual({ tumor: { infiltrates: ['spleen'] } });
    expect(cycleOrgan(d, 'spleen')).toEqual({});
  });
});

describe('login', () => {
  it('says plainly when the password is wrong', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ message: 'invalid credentials' }), { status: 401 }));
    const onLogin = vi.fn();
    render(<LoginPage onLogin={onLogin} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'y' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Username or password is not correct.');
    expect(onLogin).not.toHaveBeenCalled();
  });
});
