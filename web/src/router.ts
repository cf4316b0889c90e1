import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/cases/42`), so the server needs no knowledge of client paths
 * and a reload lands on the same screen.
 */
export type Route =
  | { name: 'worklist' }
  | { name: 'new-case'; fhirPatient?: string; iss?: string }
  | { name: 'smart' }
  | { name: 'case'; id: string }
  | { name: 'report'; id: string }
  | { name: 'history'; id: string }
  | { name: 'theatre'; id: string }
  | { name: 'practice'; caseId?: string }
  | { name: 'tools' }
  | { name: 'audit' }
  | { name: 'outcomes' }
  | { name: 'referrals'; caseId?: string }
  | { name: 'about' }
  | { name: 'setup'; token: string }
  | { name: 'meetings' }
  | { name: 'meeting'; id: string }
  /** Presentation mode: one agenda item per screen (1-based). */
  | { name: 'present'; id: string; item: number };

export function parseRoute(hash: string): Route {
  // A query after the path (`#/cases/new?fhirPatient=…&iss=…`, the CDS Hooks card link).
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (a === 'cases' && b === 'new') {
    const fhirPatient = query.get('fhirPatient');
    const iss = query.get('iss');
    return fhirPatient ? { name: 'new-case', fhirPatient, ...(iss ? { iss } : {}) } : { name: 'new-case' };
  }
  if (a === 'smart') return { name: 'smart' };
  if (a === 'cases' && b && c === 'report') return { name: 'report', id: b };
  if (a === 'cases' && b && c === 'history') return { name: 'history', id: b };
  if (a === 'cases' && b && c === 'theatre') return { name: 'theatre', id: b };
  if (a === 'practice') return b ? { name: 'practice', caseId: b } : { name: 'practice' };
  if (a === 'cases' && b) return { name: 'case', id: b };
  if (a === 'meetings' && b && c === 'present') return { name: 'present', id: b, item: Math.max(1, Number.parseInt(parts[3] ?? '1', 10) || 1) };
  if (a === 'meetings' && b) return { name: 'meeting', id: b };
  if (a === 'meetings') return { name: 'meetings' };
  if (a === 'tools') return { name: 'tools' };
  if (a === 'audit') return { name: 'audit' };
  if (a === 'outcomes') return { name: 'outcomes' };
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
      return route.fhirPatient ? `#/cases/new?${new URLSearchParams({ fhirPatient: route.fhirPatient, ...(route.iss ? { iss: route.iss } : {}) }).toString()}` : '#/cases/new';
    case 'smart':
      return '#/smart';
    case 'case':
      return `#/cases/${encodeURIComponent(route.id)}`;
    case 'report':
      return `#/cases/${encodeURIComponent(route.id)}/report`;
    case 'history':
      return `#/cases/${encodeURIComponent(route.id)}/history`;
    case 'theatre':
      return `#/cases/${encodeURIComponent(route.id)}/theatre`;
    case 'practice':
      return route.caseId ? `#/practice/${encodeURIComponent(route.caseId)}` : '#/practice';
    case 'tools':
      return '#/tools';
    case 'audit':
      return '#/audit';
    case 'outcomes':
      return '#/outcomes';
    case 'referrals':
      return route.caseId ? `#/referrals/new/${encodeURIComponent(route.caseId)}` : '#/referrals';
    case 'about':
      return '#/about';
    case 'setup':
      return `#/setup/${encodeURIComponent(route.token)}`;
    case 'meetings':
      return '#/meetings';
    case 'meeting':
      return `#/meetings/${encodeURIComponent(route.id)}`;
    case 'present':
      return `#/meetings/${encodeURIComponent(route.id)}/present/${route.item}`;
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
