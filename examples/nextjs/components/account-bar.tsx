'use client';

/** The page's header: the app's name, who is signed in, and the way out. */
export function AccountBar({ email, onSignOut }: { email: string; onSignOut: () => void }) {
  return (
    <header className="bar">
      <h1>Tasks</h1>
      <div className="account">
        <span>{email}</span>
        <button type="button" className="quiet" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
