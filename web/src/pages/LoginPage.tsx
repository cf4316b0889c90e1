import { useState } from 'react';
import { api, ApiError, type User } from '../api.ts';

export function LoginPage({ onLogin, setupRequired = false }: { onLogin: (u: User) => void; setupRequired?: boolean }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="login">
      <form
        className="login-card"
        aria-labelledby="login-title"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            onLogin(await api.login(username, password));
          } catch (err) {
            setError(
              err instanceof ApiError && err.status === 401
                ? 'Username or password is not correct.'
                : err instanceof ApiError && err.status === 429
                  ? 'Too many attempts. Wait a moment, then try again.'
                  : err instanceof Error
                    ? err.message
                    : String(err),
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="brand-lg" aria-hidden="true">
          Retroplan
        </div>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Retroperitoneal sarcoma tumour-board workspace</p>
        <div className="field">
          <label htmlFor="login-user">Username</label>
          <input id="login-user" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <p className="field-msg" role={error ? 'alert' : undefined}>
          {error ?? ''}
        </p>
        <button type="submit" className="btn primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">
          {setupRequired
            ? 'First run: no user exists yet. Open the one-time setup link printed on the server console to create the first administrator.'
            : 'No account yet? Ask an administrator to create one.'}
        </p>
      </form>
    </main>
  );
}
