import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { CoordinatorPanel } from './CoordinatorPanel.tsx';
import type { Meeting } from './api.ts';

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const meeting = (id: string, organisationId: string, date: string, itemCount = 0): Meeting => ({
  id,
  organisationId,
  title: `MDT ${date}`,
  date,
  startTime: '08:00',
  endTime: '10:00',
  durationMinutes: 120,
  minutesPerItem: 10,
  place: 'Room 1',
  videoLink: null,
  chair: { userId: 'u-chair', username: 'chair' },
  expectedAttendees: [],
  attendance: null,
  itemCount,
  createdBy: 'coordinator',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

const referral = (id: string, caseTitle: string, toOrganisationId: string, updatedAt: string) => ({
  id,
  caseId: `case-${id}`,
  caseTitle,
  fromOrganisationId: 'spoke-b',
  fromName: 'Spoke B Hospital',
  toOrganisationId,
  status: 'accepted',
  urgency: 'urgent',
  question: 'Resectable?',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt,
  openNavigation: 5,
  decisionSummary: null,
});

/** A server stub: answers by method and path, records every call. */
function stubServer(role: string, answers: Record<string, (body: unknown) => Response> = {}) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    const body: unknown = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path, body });
    const key = `${method} ${path}`;
    if (answers[key]) return answers[key]!(body);
    if (key === 'GET /api/organisations') {
      return json({
        items: [
          { id: 'hub-a', name: 'Hub A Sarcoma Centre', kind: 'hub' },
          { id: 'spoke-b', name: 'Spoke B Hospital', kind: 'spoke' },
        ],
        memberships: [{ organisationId: 'hub-a', role }],
        network: false,
      });
    }
    if (key === 'GET /api/referrals?direction=incoming&status=accepted') {
      return json({ items: [referral('r-new', 'Newer acceptance', 'hub-a', '2026-02-02T00:00:00Z'), referral('r-old', 'Older acceptance', 'hub-a', '2026-02-01T00:00:00Z')] });
    }
    return json({ errors: [{ path: '', message: `unexpected ${key}` }] }, 500);
  });
  return calls;
}

const UPCOMING = [meeting('m-1', 'hub-a', '2099-03-10', 2), meeting('m-other', 'hub-z', '2099-03-11'), meeting('m-2', 'hub-a', '2099-03-17')];

describe('coordinator panel', () => {
  it("lists the hub's accepted referrals, oldest acceptance first, with only that hub's meetings to choose", async () => {
    stubServer('coordinator');
    render(<CoordinatorPanel upcoming={UPCOMING} onPlaced={() => undefined} />);
    const list = await screen.findByRole('list', { name: 'Referrals to place' });
    expect(within(list).getAllByRole('heading').map((h) => within(h).getByRole('link').textContent)).toEqual(['Older acceptance', 'Newer acceptance']);
    const options = within(within(list).getAllByRole('listitem')[0]!).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['MDT 2099-03-10 — 10 Mar 2099, 08:00 (2 cases)', 'MDT 2099-03-17 — 17 Mar 2099, 08:00 (0 cases)']);
  });

  it('places a referral: one scheduling call for the chosen meeting (the server puts the case on its agenda)', async () => {
    const calls = stubServer('coordinator', {
      'POST /api/referrals/r-old/schedule': () => json({ ...referral('r-old', 'Older acceptance', 'hub-a', '2026-02-01T00:00:00Z'), status: 'scheduled' }),
    });
    const placed = vi.fn();
    render(<CoordinatorPanel upcoming={UPCOMING} onPlaced={placed} />);
    const item = (await screen.findAllByRole('listitem'))[0]!;
    fireEvent.change(within(item).getByLabelText('Meeting'), { target: { value: 'm-2' } });
    fireEvent.click(within(item).getByRole('button', { name: 'Place on agenda' }));
    await waitFor(() => expect(placed).toHaveBeenCalledTimes(1));
    const writes = calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path, c.body]);
    expect(writes).toEqual([['POST', '/api/referrals/r-old/schedule', { meetingId: 'm-2' }]]);
  });

  it('a refused scheduling says why and reports nothing placed', async () => {
    const calls = stubServer('coordinator', {
      'POST /api/referrals/r-old/schedule': () => json({ errors: [{ path: '', message: 'a referral that is scheduled cannot be scheduled again' }] }, 409),
    });
    const placed = vi.fn();
    render(<CoordinatorPanel upcoming={UPCOMING} onPlaced={placed} />);
    const item = (await screen.findAllByRole('listitem'))[0]!;
    fireEvent.click(within(item).getByRole('button', { name: 'Place on agenda' }));
    await within(item).findByText(/cannot be scheduled again/);
    expect(calls.filter((c) => c.method !== 'GET').map((c) => c.path)).toEqual(['/api/referrals/r-old/schedule']);
    expect(placed).not.toHaveBeenCalled();
  });

  it('is not shown to a member whose role does not triage referrals (a hub clinician)', async () => {
    const calls = stubServer('clinician');
    const { container } = render(<CoordinatorPanel upcoming={UPCOMING} onPlaced={() => undefined} />);
    await waitFor(() => expect(calls.length).toBe(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });
});
