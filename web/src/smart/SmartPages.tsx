import { useEffect, useRef, useState } from 'react';
import type { User } from '../api.ts';
import { LoginPage } from '../pages/LoginPage.tsx';
import { ErrorBox, Spinner } from '../ui/nav.tsx';
import { CALLBACK_PATH, caseOfFhirPatient, completeLaunch, LAUNCH_PATH, smartConfig, smartEhrs, startLaunch, type SmartConfig } from './launch.ts';

/** Which SMART step a page load is, by path (the EHR and the authorization server choose the query). */
export function smartStepOf(pathname: string): 'launch' | 'callback' | null {
  if (pathname === LAUNCH_PATH) return 'launch';
  if (pathname === CALLBACK_PATH) return 'callback';
  return null;
}

function openCase(id: string): void {
  // Back to the app's own path: the SMART paths and their query are left behind.
  window.location.replace(`/#/cases/${encodeURIComponent(id)}`);
}

/**
 * /smart/launch (EHR launch) and /smart/callback (the redirect back). The EHR's token gives EHR
 * data, not Retroplan access: a user who is not signed in to Retroplan signs in first and the
 * launch continues.
 */
export function SmartLaunchScreen({ step, user, onLogin, setupRequired }: { step: 'launch' | 'callback'; user: User | null; onLogin: (u: User) => void; setupRequired: boolean }) {
  const params = useRef(new URLSearchParams(window.location.search)).current;
  const [config, setConfig] = useState<SmartConfig | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('Starting the SMART launch…');
  const started = useRef(false);

  // The EHR must be registered before anything else (and before asking the user to sign in).
  useEffect(() => {
    if (step !== 'launch') return;
    const iss = params.get('iss');
    if (!iss) {
      setError(new Error('The launch names no EHR (no "iss" parameter): open Retroplan from the EHR again.'));
      return;
    }
    smartConfig(iss).then(setConfig, (e: unknown) => setError(new Error(`This EHR (${iss}) is not registered for SMART launch with Retroplan. An administrator registers it (README, "SMART on FHIR"). ${e instanceof Error ? e.message : ''}`)));
  }, [step, params]);

  useEffect(() => {
    if (!user || started.current || error) return;
    if (step === 'launch') {
      if (!config) return;
      started.current = true;
      setStatus(`Asking ${config.name} for this patient…`);
      const launch = params.get('launch');
      startLaunch(config, launch ? { launch } : {}).catch((e: unknown) => setError(e));
      return;
    }
    started.current = true;
    setStatus('Reading the patient’s record from the EHR…');
    completeLaunch().then(
      (r) => openCase(r.caseId),
      (e: unknown) => setError(e),
    );
  }, [user, step, config, error, params]);

  if (error) {
    return (
      <main id="main" className="smart-launch">
        <h1>SMART launch</h1>
        <ErrorBox error={error} />
        <a href="/#/cases">Go to the worklist</a>
      </main>
    );
  }
  if (!user) {
    return (
      <>
        <p className="small" role="status">
          Sign in to Retroplan to continue the launch from {config?.name ?? 'the EHR'}.
        </p>
        <LoginPage onLogin={onLogin} setupRequired={setupRequired} />
      </>
    );
  }
  return (
    <main id="main">
      <Spinner label={status} />
    </main>
  );
}

/** #/smart: a standalone launch — the user picks a registered EHR, and the patient there. */
export function StandaloneLaunchPage({ expectPatient }: { expectPatient?: string }) {
  const [ehrs, setEhrs] = useState<{ iss: string; name: string }[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    smartEhrs().then(setEhrs, setError);
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (!ehrs) return <Spinner />;
  return (
    <section aria-labelledby="smart-title">
      <h1 id="smart-title">Open a patient from an EHR (SMART)</h1>
      {ehrs.length === 0 ? <p>No EHR is registered for SMART launch. An administrator registers one (README, “SMART on FHIR”).</p> : null}
      <ul className="plain">
        {ehrs.map((e) => (
          <li key={e.iss}>
            <button
              type="button"
              className="btn"
              onClick={async () => {
                try {
                  await startLaunch(await smartConfig(e.iss), expectPatient ? { expectPatient } : {});
                } catch (err) {
                  setError(err);
                }
              }}
            >
              Launch from {e.name}
            </button>{' '}
            <span className="small">{e.iss}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * #/cases/new?fhirPatient=…&iss=… (the CDS Hooks card link): the patient's case when Retroplan has
 * it, else a SMART launch at that EHR whose token must name the same patient.
 */
export function FhirPatientPage({ patientId, iss }: { patientId: string; iss?: string | undefined }) {
  const [state, setState] = useState<{ kind: 'looking' } | { kind: 'launch'; config: SmartConfig } | { kind: 'choose' } | { kind: 'error'; error: unknown }>({ kind: 'looking' });
  useEffect(() => {
    if (!iss) {
      setState({ kind: 'choose' });
      return;
    }
    (async () => {
      const existing = await caseOfFhirPatient(iss, patientId);
      if (existing) return openCase(existing);
      try {
        setState({ kind: 'launch', config: await smartConfig(iss) });
      } catch {
        setState({ kind: 'error', error: new Error(`Retroplan has no case of patient ${patientId}, and the EHR ${iss} is not registered for SMART launch: import the patient's FHIR data instead.`) });
      }
    })().catch((e: unknown) => setState({ kind: 'error', error: e }));
  }, [patientId, iss]);

  switch (state.kind) {
    case 'looking':
      return <Spinner label="Looking for this patient’s case…" />;
    case 'error':
      return <ErrorBox error={state.error} />;
    case 'choose':
      return (
        <>
          <p>The link names patient {patientId} but not the EHR it comes from. Choose the EHR; the patient you choose there must be the same.</p>
          <StandaloneLaunchPage expectPatient={patientId} />
        </>
      );
    case 'launch':
      return (
        <section aria-labelledby="fhir-patient-title">
          <h1 id="fhir-patient-title">New case from {state.config.name}</h1>
          <p>
            Retroplan has no case of patient {patientId} yet. Read the patient’s record from {state.config.name} (SMART launch) to start one pre-filled.
          </p>
          <button type="button" className="btn primary" onClick={() => startLaunch(state.config, { expectPatient: patientId }).catch((e: unknown) => setState({ kind: 'error', error: e }))}>
            Import from {state.config.name}
          </button>
        </section>
      );
  }
}
