import { describe, expect, it } from 'vitest';
import { href, parseRoute } from '../router.ts';
import { standaloneScopes } from './launch.ts';
import { smartStepOf } from './SmartPages.tsx';

describe('SMART launch routing', () => {
  it('the CDS card link #/cases/new?fhirPatient=…&iss=… is a new case for that FHIR patient on that server', () => {
    expect(parseRoute('#/cases/new?fhirPatient=rps-ddlps-1&iss=https%3A%2F%2Fehr.example%2Ffhir')).toEqual({ name: 'new-case', fhirPatient: 'rps-ddlps-1', iss: 'https://ehr.example/fhir' });
    expect(parseRoute('#/cases/new?fhirPatient=p1')).toEqual({ name: 'new-case', fhirPatient: 'p1' });
    expect(parseRoute('#/cases/new')).toEqual({ name: 'new-case' });
    expect(parseRoute('#/cases/new?other=1')).toEqual({ name: 'new-case' });
    expect(href({ name: 'new-case', fhirPatient: 'p 1', iss: 'https://e/f' })).toBe('#/cases/new?fhirPatient=p+1&iss=https%3A%2F%2Fe%2Ff');
    expect(parseRoute('#/smart')).toEqual({ name: 'smart' });
  });

  it('the launch and redirect paths are SMART steps; app paths are not', () => {
    expect(smartStepOf('/smart/launch')).toBe('launch');
    expect(smartStepOf('/smart/callback')).toBe('callback');
    expect(smartStepOf('/')).toBeNull();
    expect(smartStepOf('/smart/launch/x')).toBeNull();
  });

  it('a standalone launch asks for launch/patient instead of launch (SMART App Launch scopes)', () => {
    expect(standaloneScopes('launch openid fhirUser patient/*.read')).toBe('launch/patient openid fhirUser patient/*.read');
    expect(standaloneScopes('openid launch/encounter patient/*.rs')).toBe('launch/patient openid patient/*.rs');
  });
});
