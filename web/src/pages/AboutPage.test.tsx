import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App } from '../App.tsx';
import { href, parseRoute } from '../router.ts';
import { AboutPage, IntendedUseNotice } from './AboutPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.location.hash = '';
});

describe('About page (intended use and limitations)', () => {
  it('shows who it is for, which patients, what it does not do and the limitations, with the versions', () => {
    render(<AboutPage />);
    for (const heading of ['Intended users', 'Patients', 'What it does not do', 'Known limitations']) {
      expect(screen.getByRole('heading', { level: 2, name: heading })).toBeTruthy();
    }
    expect(screen.getByText(/does not replace the MDT/, { selector: 'p' })).toBeTruthy();
    expect(screen.getByText(/Adults \(18 years or older\)/)).toBeTruthy();
    expect(screen.getByText(/Retroplan engine \d+\.\d+\.\d+, clinical rules \d{4}\.\d{2}-\d+/)).toBeTruthy();
  });

  it('has its own route, #/about', () => {
    expect(parseRoute('#/about')).toEqual({ name: 'about' });
    expect(href({ name: 'about' })).toBe('#/about');
  });

  it('is linked from the main navigation of every signed-in screen, and opens from it', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ user: { id: 'u1', username: 'ana', role: 'viewer' }, setupRequired: false, passwordPolicy: '' }), { status: 200, headers: { 'content-type': 'application/json' } }));
    window.location.hash = '#/tools';
    render(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const link = nav.querySelector('a[href="#/about"]');
    expect(link?.textContent).toBe('About');
    fireEvent.click(link!);
    window.location.hash = '#/about';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(await screen.findByRole('heading', { level: 1, name: 'About Retroplan' })).toBeTruthy();
  });

  it('is readable before signing in, and linked from the sign-in screen', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ user: null, setupRequired: false, passwordPolicy: '' }), { status: 200, headers: { 'content-type': 'application/json' } }));
    window.location.hash = '#/cases';
    const { unmount } = render(<App />);
    const link = await screen.findByRole('link', { name: /About Retroplan — intended use and limitations/ });
    expect(link.getAttribute('href')).toBe('#/about');
    unmount();
    window.location.hash = '#/about';
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'About Retroplan' })).toBeTruthy();
  });

  it('the printed report notice states the limits and the release', () => {
    render(<IntendedUseNotice />);
    expect(screen.getByText(/does not make the decision.*Retroplan engine/)).toBeTruthy();
  });
});
