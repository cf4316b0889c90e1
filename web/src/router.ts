import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/cases/42`), so the server needs no knowledge of client paths
 * and a reload lands on the same screen.
 */
export type Route =
  | { name: 'worklist' }
  | { name: 'new-case' }
  | { name: 'case'; id: string }
  | { name: 'report'; id: string }
  | { name: 'history'; id: string }
  | { name: 'tools' }
  | { name: 'audit' }
  | { name: 'referrals'; caseId?: string }
  | { name: 'about' }
  | { name: 'setup'; token: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (a === 'cases' && b === 'new') return { name: 'new-case' };
  if (a === 'cases' && b && c === 'report') return { name: 'report', id: b };
  if (a === 'cases' && b && c === 'history') return { name: 'history', id: b };
  if (a === 'cases' && b) return { name: 'case', id: b };
  if (a === 'tools') return { name: 'tools' };
  if (a === 'audit') return { name: 'audit' };
  if (a === 'referrals' && b === 'new' && c) return { name: 'referrals', caseId: c };
  if (a === 'referrals') return { name: 'referrals' };
  if (a === 'about') return { name: 'about' };
  if (a === 'setup' && b) return { name: 'setup', token: b };
  return { name: 'worklist' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'worklist':
      return '#/cases';
    case 'new-case':
      return '#/cases/new';
    case 'case':
      return `#/cases/${encodeURIComponent(route.id)}`;
    case 'report':
      return `#/cases/${encodeURIComponent(route.id)}/report`;
    case 'history':
      return `#/cases/${encodeURIComponent(route.id)}/history`;
    case 'tools':
      return '#/tools';
    case 'audit':
      return '#/audit';
    case 'referrals':
      return route.caseId ? `#/referrals/new/${encodeURIComponent(route.caseId)}` : '#/referrals';
    case 'about':
      return '#/about';
    case 'setup':
      return `#/setup/${encodeURIComponent(route.token)}`;
  }
}

export function navigate(route: Route, replace = false): void {
  if (replace) window.location.replace(href(route));
  else window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
