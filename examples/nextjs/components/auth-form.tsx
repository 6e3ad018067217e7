'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '@/lib/auth-client';
import { authErrorMessage } from '@/lib/error-message';

const MIN_PASSWORD_LENGTH = 8; // Better Auth's default

interface Credentials {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** Sign in or create an account with Better Auth (email and password), then go to the tasks. */
export function AuthForm({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signingUp = mode === 'sign-up';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credentials: Credentials = {
      name: String(form.get('name') ?? '').trim(),
      email: String(form.get('email') ?? '').trim(),
      password: String(form.get('password') ?? ''),
    };
    const problem = missing(credentials, signingUp);
    setError(problem);
    if (problem) return;

    setBusy(true);
    try {
      const { error } = signingUp
        ? await authClient.signUp.email(credentials)
        : await authClient.signIn.email(credentials);
      if (error) return setError(authErrorMessage(error));
      router.replace('/');
    } catch {
      setError('The sign-in service could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth">
      <h1>{signingUp ? 'Create your account' : 'Sign in to your tasks'}</h1>
      <form className="card" onSubmit={submit} noValidate>
        {signingUp && (
          <label>
            Name
            <input name="name" autoComplete="name" maxLength={100} />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {signingUp ? 'Create account' : 'Sign in'}
        </button>
      </form>
      <p className="switch">
        {signingUp ? (
          <>
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/sign-up">Create an account</Link>
          </>
        )}
      </p>
    </main>
  );
}

/** What the person still has to fill in, in words; null when the form is complete. */
function missing({ name, email, password }: Credentials, signingUp: boolean): string | null {
  if (signingUp && !name) return 'Enter your name.';
  if (!email) return 'Enter your email address.';
  if (!password) return 'Enter your password.';
  if (signingUp && password.length < MIN_PASSWORD_LENGTH) {
    return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  return null;
}
