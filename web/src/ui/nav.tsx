import type { AnchorHTMLAttributes, ReactNode } from 'react';
import { href, type Route } from '../router.ts';

/** Set by a screen with unsaved edits; in-app links ask before leaving it. */
let unsavedMessage: string | null = null;

export function setUnsavedGuard(message: string | null): void {
  unsavedMessage = message;
}

export function confirmLeave(): boolean {
  return unsavedMessage === null || window.confirm(unsavedMessage);
}

export function Link({ to, children, ...rest }: { to: Route; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      {...rest}
      href={href(to)}
      onClick={(e) => {
        if (!confirmLeave()) e.preventDefault();
        else setUnsavedGuard(null);
      }}
    >
      {children}
    </a>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-box" role="alert">
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
