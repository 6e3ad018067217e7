import { randomUUID } from 'node:crypto';
import type { BetterAuthInstance } from '../src/infrastructure/auth/better-auth.js';
import type { Caller } from './auth-client.js';
import { SESSION_COOKIE } from './better-auth-session-verifier.js';

/**
 * `count` distinct tokens for one user, signed by Better Auth's JWT plugin (`auth.api.signJWT`,
 * the signer behind GET /api/auth/token) with the service's claims, a unique `jti` each. A
 * verifier that remembers tokens it has seen still has to check each of these in full.
 */
export async function mintTokens(
  auth: BetterAuthInstance,
  user: Caller,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  // The caller's session, named in every token as GET /api/auth/token names it (sid).
  const session = await auth.api.getSession({
    headers: new Headers({ cookie: `${SESSION_COOKIE}=${user.sessionCookie}` }),
  });
  if (!session) throw new Error('the caller has no session');
  const lane = async () => {
    while (tokens.length < count) {
      const { token } = await auth.api.signJWT({
        body: {
          payload: {
            sub: user.id,
            user_id: user.id,
            email: user.email,
            name: user.name,
            sid: session.session.id,
            iat: Math.floor(Date.now() / 1000),
            jti: randomUUID(),
          },
        },
      });
      tokens.push(token);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return tokens.slice(0, count);
}
