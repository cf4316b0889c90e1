import { useEffect, useState } from 'react';
import { api, type User } from './api.ts';
import { AboutPage } from './pages/AboutPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { HistoryPage } from './pages/HistoryPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { ReportPage } from './pages/ReportPage.tsx';
import { ReferralsPage } from './pages/ReferralsPage.tsx';
import { WorklistPage } from './pages/WorklistPage.tsx';
import { MarginToolsPage } from './tools/MarginTools.tsx';
import { useRoute, type Route } from './router.ts';
import { confirmLeave, ErrorBox, Link, Spinner } from './ui/nav.tsx';

function Screen({ route, user }: { route: Route; user: User }) {
  switch (route.name) {
    case 'worklist':
      return <WorklistPage user={user} />;
    case 'new-case':
      return <CasePage user={user} />;
    case 'case':
      return <CasePage key={route.id} id={route.id} user={user} />;
    case 'report':
      return <ReportPage id={route.id} user={user} />;
    case 'history':
      return <HistoryPage id={route.id} />;
    case 'tools':
      return <MarginToolsPage />;
    case 'setup':
      return <WorklistPage user={user} />;
    case 'audit':
      return user.role === 'admin' ? <AuditPage /> : <ErrorBox error="The audit log is for administrators." />;
    case 'about':
      return <AboutPage />;
    case 'referrals':
      return <ReferralsPage key={route.caseId ?? ''} caseId={route.caseId} />;
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
      (e: unknown) => setError(e),
    );
  }, []);

  if (error) return <ErrorBox error={error} onRetry={() => window.location.reload()} />;
  if (user === undefined) return <Spinner label="Starting Retroplan…" />;
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
          <Link to={{ name: 'worklist' }} aria-current={active(['worklist', 'case', 'new-case', 'history', 'report'])}>
            Cases
          </Link>
          <Link to={{ name: 'referrals' }} aria-current={active(['referrals'])}>
            Referrals
          </Link>
          <Link to={{ name: 'tools' }} aria-current={active(['tools'])}>
            Margin tools
          </Link>
          {user.role === 'admin' ? (
            <Link to={{ name: 'audit' }} aria-current={active(['audit'])}>
              Audit log
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
