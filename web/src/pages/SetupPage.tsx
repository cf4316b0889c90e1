import { useState } from 'react';
import { api, ApiError, type User } from '../api.ts';

/** First run: the one-time link from the server console opens this form to create the first administrator. */
export function SetupPage({ token, policy, onDone }: { token: string; policy: string; onDone: (u: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<{ field: 'username' | 'password' | 'repeat' | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const focus = (id: string) => document.getElementById(id)?.focus();
  return (
    <main className="login" id="main">
      <form
        className="login-card"
        aria-labelledby="setup-title"
        onSubmit={async (e) => {
          e.preventDefault();
          if (password !== repeat) {
            setError({ field: 'repeat', text: 'The two passwords differ.' });
            focus('setup-repeat');
            return;
          }
          setBusy(true);
          setError(null);
          try {
            await api.setupFirstAdmin(token, username.trim().toLowerCase(), password);
            onDone(await api.login(username.trim().toLowerCase(), password));
          } catch (err) {
            const field = err instanceof ApiError ? err.errors.find((x) => x.path === 'username' || x.path === 'password') : undefined;
            const text = field ? `${field.path === 'username' ? 'Username' : 'Password'}: ${field.message}` : err instanceof Error ? err.message : String(err);
            const which = (field?.path as 'username' | 'password' | undefined) ?? null;
            setError({ field: which, text });
            if (which) focus(`setup-${which === 'username' ? 'user' : 'password'}`);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="brand-lg" aria-hidden="true">
          Retroplan
        </div>
        <h1 id="setup-title">Create the first administrator</h1>
        <p className="muted">This link works once. The administrator then adds the other users.</p>
        <div className="field">
          <label htmlFor="setup-user">Username</label>
          <input id="setup-user" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required aria-invalid={error?.field === 'username' || undefined} />
        </div>
        <div className="field">
          <label htmlFor="setup-password">Password</label>
          <input
            id="setup-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            aria-describedby="setup-policy"
            aria-invalid={error?.field === 'password' || undefined}
          />
          <p className="field-msg wrap" id="setup-policy">
            {policy}
          </p>
        </div>
        <div className="field">
          <label htmlFor="setup-repeat">Repeat the password</label>
          <input id="setup-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required aria-invalid={error?.field === 'repeat' || undefined} />
        </div>
        <p className="field-msg" role={error ? 'alert' : undefined}>
          {error?.text ?? ''}
        </p>
        <button type="submit" className="btn primary wide" disabled={busy}>
          {busy ? 'Creating…' : 'Create administrator and sign in'}
        </button>
      </form>
    </main>
  );
}
