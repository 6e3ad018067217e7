/**
 * The Better Auth JWT plugin, set up to issue tokens the Task API accepts.
 * Copy this file into your Next.js app (e.g. lib/task-api-jwt.ts) and use it from lib/auth.ts.
 */
import { jwt } from 'better-auth/plugins';
import { SignJWT } from 'jose';

export interface TaskApiJwtOptions {
  /** Your app's URL (its BETTER_AUTH_URL): the tokens' `iss`. The API's AUTH_ISSUER. */
  readonly issuer: string;
  /** The Task API's URL: the tokens' `aud`. The API's AUTH_AUDIENCE. */
  readonly audience: string;
  /**
   * 'jwks' (recommended): Ed25519 keys; the API fetches the public half from /api/auth/jwks.
   * 'hs256': tokens signed with the shared BETTER_AUTH_SECRET, which the API must then hold too.
   */
  readonly mode: 'jwks' | 'hs256';
  /** Required with 'hs256': the same BETTER_AUTH_SECRET the API is given. */
  readonly secret?: string;
}

/** How long a token lives (the API's AUTH_JWT_LIFETIME_SECONDS for tokens it issues itself). */
export const TASK_API_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export function taskApiJwt(options: TaskApiJwtOptions) {
  const claims = {
    issuer: options.issuer,
    audience: options.audience,
    expirationTime: `${TASK_API_TOKEN_LIFETIME_SECONDS}s`,
    // The API reads `sub`; `user_id` must equal it. email and name feed GET /api/me. `sid` names
    // the session, so that ending it ends the token (task-api-revocation.ts); never put
    // session.token here, it is the session credential itself.
    definePayload: ({
      user,
      session,
    }: {
      user: { id: string; email: string; name: string };
      session: { id: string };
    }) => ({
      user_id: user.id,
      email: user.email,
      name: user.name,
      sid: session.id,
    }),
  };
  if (options.mode === 'jwks') {
    return jwt({ jwks: { keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' } }, jwt: claims });
  }
  if (!options.secret) throw new Error('taskApiJwt: mode "hs256" needs the shared secret');
  const secret = new TextEncoder().encode(options.secret);
  return jwt({
    // The plugin accepts a custom signer only with a remote key set URL; its JWKS route is then off.
    jwks: { remoteUrl: `${options.issuer}/api/auth/jwks`, keyPairConfig: { alg: 'EdDSA' } },
    jwt: {
      ...claims,
      sign: (payload) =>
        new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret),
    },
  });
}
