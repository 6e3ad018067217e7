import { BENCH_AUTH_URL } from './settings.js';
import { SESSION_COOKIE } from './better-auth-session-verifier.js';

/** The benchmark's caller, signed up through Better Auth over HTTP as a frontend would. */
export interface Caller {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** The value of the signed session cookie, exactly as Better Auth set it. */
  readonly sessionCookie: string;
}

const CALLER_NAME = 'Bench Caller';

export async function signUp(baseUrl: string): Promise<Caller> {
  const email = `bench.caller.${Date.now()}@example.com`;
  const res = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    // Better Auth refuses a state-changing call whose Origin it does not trust.
    headers: { 'Content-Type': 'application/json', Origin: BENCH_AUTH_URL },
    body: JSON.stringify({ email, password: 'correct-horse-battery-staple', name: CALLER_NAME }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('sign-up set no session cookie');
  return {
    id: user.id,
    email,
    name: CALLER_NAME,
    sessionCookie: cookie.slice(SESSION_COOKIE.length + 1),
  };
}

/** A JWT from the service's embedded Better Auth (GET /api/auth/token with the session cookie). */
export async function fetchJwt(baseUrl: string, caller: Caller): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/token`, {
    headers: { Cookie: `${SESSION_COOKIE}=${caller.sessionCookie}` },
  });
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
