import { lazy, Suspense, useEffect, useState } from 'react';
import { api, type User } from './api.ts';
import { AboutPage } from './pages/AboutPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { HistoryPage } from './pages/HistoryPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { ReportPage } from './pages/ReportPage.tsx';
import { WorklistPage } from './pages/WorklistPage.tsx';
import { MarginToolsPage } from './tools/MarginTools.tsx';
import { parseRoute, useRoute, type Route } from './router.ts';
import { FhirPatientPage, SmartLaunchScreen, smartStepOf, StandaloneLaunchPage } from './smart/SmartPages.tsx';
import { confirmLeave, ErrorBox, Link, Spinner } from './ui/nav.tsx';
import { offlineStore } from './theatre/offline-store.ts';

// Separate chunks: neither screen weighs on the first load of the worklist.
const TheatrePage = lazy(() => import('./theatre/TheatrePage.tsx').then((m) => ({ default: m.TheatrePage })));
const PracticePage = lazy(() => import('./practice/PracticePage.tsx').then((m) => ({ default: m.PracticePage })));

/**
 * Sign-out clears what theatre kept on this tablet (the open case, its log, entries not yet sent),
 * after asking when entries would be lost. Returns false when the user keeps them.
 */
async function clearTheatreData(username: string): Promise<boolean> {
  const store = offlineStore();
  const waiting = (await store.queued().catch(() => [])).filter((e) => e.owner === username);
  if (waiting.length > 0 && !window.confirm(`${waiting.length} theatre ${waiting.length === 1 ? 'entry has' : 'entries have'} not reached the server yet. Signing out deletes ${waiting.length === 1 ? 'it' : 'them'} from this tablet. Sign out anyway?`)) return false;
  await store.clear().catch(() => undefined);
  return true;
}

// The outcomes dashboard carries Observable Plot: loaded only when its route is opened (first-load budget).
const OutcomesPage = lazy(() => import('./outcomes/OutcomesPage.tsx'));

// Tumour boards and referrals: fetched when their route is first opened, not with the worklist.
const MeetingsPage = lazy(() => import('./boards/MeetingsPage.tsx').then((m) => ({ default: m.MeetingsPage })));
const MeetingPage = lazy(() => import('./boards/MeetingPage.tsx').then((m) => ({ default: m.MeetingPage })));
const PresentationPage = lazy(() => import('./boards/PresentationPage.tsx').then((m) => ({ default: m.PresentationPage })));
const ReferralsPage = lazy(() => import('./pages/ReferralsPage.tsx').then((m) => ({ default: m.ReferralsPage })));

function Screen({ route, user }: { route: Route; user: User }) {
  switch (route.name) {
    case 'worklist':
      return <WorklistPage user={user} />;
    case 'new-case':
      return route.fhirPatient ? <FhirPatientPage patientId={route.fhirPatient} iss={route.iss} /> : <CasePage user={user} />;
    case 'smart':
      return <StandaloneLaunchPage />;
    case 'case':
      return <CasePage key={route.id} id={route.id} user={user} />;
    case 'report':
      return <ReportPage id={route.id} user={user} />;
    case 'history':
      return <HistoryPage id={route.id} />;
    case 'theatre':
      return (
        <Suspense fallback={<Spinner label="Opening theatre…" />}>
          <TheatrePage key={route.id} id={route.id} user={user} />
        </Suspense>
      );
    case 'practice':
      return (
        <Suspense fallback={<Spinner label="Opening practice…" />}>
          <PracticePage user={user} caseId={route.caseId} />
        </Suspense>
      );
    case 'tools':
      return <MarginToolsPage />;
    case 'setup':
      return <WorklistPage user={user} />;
    case 'audit':
      return user.role === 'admin' ? <AuditPage /> : <ErrorBox error="The audit log is for administrators." />;
    case 'outcomes':
      return user.role === 'admin' ? (
        <Suspense fallback={<Spinner label="Loading the outcomes dashboard…" />}>
          <OutcomesPage />
        </Suspense>
      ) : (
        <ErrorBox error="The centre's outcomes are for administrators." />
      );
    case 'about':
      return <AboutPage />;
    case 'meetings':
      return (
        <Suspense fallback={<Spinner label="Loading meetings…" />}>
          <MeetingsPage user={user} />
        </Suspense>
      );
    case 'meeting':
      return (
        <Suspense fallback={<Spinner label="Loading the meeting…" />}>
          <MeetingPage key={route.id} id={route.id} user={user} />
        </Suspense>
      );
    case 'present':
      return (
        <Suspense fallback={<Spinner label="Opening presentation mode…" />}>
          <PresentationPage id={route.id} item={route.item} />
        </Suspense>
      );
    case 'referrals':
      return (
        <Suspense fallback={<Spinner label="Loading referrals…" />}>
          <ReferralsPage key={route.caseId ?? ''} caseId={route.caseId} />
        </Suspense>
      );
  }
}

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [setup, setSetup] = useState<{ required: boolean; policy: string }>({ required: false, policy: '' });
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.state().then(
      (s) => {
        setSetup({ required: s.setupRequired, policy: s.passwordPolicy });
        setUser(s.user);
      },
      async (e: unknown) => {
        // The network is down: the case open in theatre still opens from this tablet's copy, for its user.
        const r = parseRoute(window.location.hash);
        const cached = r.name === 'theatre' ? await offlineStore().getCase(r.id).catch(() => undefined) : undefined;
        if (cached) setUser({ username: cached.owner, role: cached.role });
        else setError(e);
      },
    );
  }, []);

  if (error) return <ErrorBox error={error} onRetry={() => window.location.reload()} />;
  if (user === undefined) return <Spinner label="Starting Retroplan…" />;
  // SMART App Launch (/smart/launch, /smart/callback): its own screen, signing in on the way if needed.
  const smartStep = smartStepOf(window.location.pathname);
  if (smartStep) return <SmartLaunchScreen step={smartStep} user={user} onLogin={setUser} setupRequired={setup.required} />;
  if (user === null && route.name === 'setup' && setup.required) {
    return (
      <SetupPage
        token={route.token}
        policy={setup.policy}
        onDone={(u) => {
          setSetup({ required: false, policy: '' });
          window.location.replace('#/cases');
          setUser(u);
        }}
      />
    );
  }
  if (user === null) {
    // The intended use holds no patient data: readable before signing in.
    if (route.name === 'about') {
      return (
        <main id="main">
          <AboutPage />
          <a href="#/cases">Sign in</a>
        </main>
      );
    }
    return (
      <>
        <LoginPage onLogin={setUser} setupRequired={setup.required} />
        <p className="small">
          <a href="#/about">About Retroplan — intended use and limitations</a>
        </p>
      </>
    );
  }

  const active = (names: Route['name'][]) => (names.includes(route.name) ? 'page' : undefined);
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          // Hash routing: a plain #main would navigate to the worklist; move focus instead.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Retroplan</span>
        <nav aria-label="Main">
          <Link to={{ name: 'worklist' }} aria-current={active(['worklist', 'case', 'new-case', 'history', 'report', 'smart', 'theatre'])}>
            Cases
          </Link>
          <Link to={{ name: 'meetings' }} aria-current={active(['meetings', 'meeting', 'present'])}>
            Meetings
          </Link>
          <Link to={{ name: 'referrals' }} aria-current={active(['referrals'])}>
            Referrals
          </Link>
          <Link to={{ name: 'tools' }} aria-current={active(['tools'])}>
            Margin tools
          </Link>
          <Link to={{ name: 'practice' }} aria-current={active(['practice'])}>
            Practice
          </Link>
          {user.role === 'admin' ? (
            <Link to={{ name: 'audit' }} aria-current={active(['audit'])}>
              Audit log
            </Link>
          ) : null}
          {user.role === 'admin' ? (
            <Link to={{ name: 'outcomes' }} aria-current={active(['outcomes'])}>
              Outcomes
            </Link>
          ) : null}
          <Link to={{ name: 'about' }} aria-current={active(['about'])}>
            About
          </Link>
        </nav>
        <div className="user">
          <span>
            {user.username} <span className="role">{user.role}</span>
          </span>
          <button
            type="button"
            className="btn ghost small"
            onClick={async () => {
              if (!confirmLeave()) return;
              if (!(await clearTheatreData(user.username))) return;
              await api.logout().catch(() => undefined);
              setUser(null);
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen route={route} user={user} />
      </main>
    </div>
  );
}
