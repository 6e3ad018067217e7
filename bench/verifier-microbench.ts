import { pino } from 'pino';
import type { TokenVerifier } from '../src/application/auth/token-verifier.port.js';
import { AUTH_BASE_PATH, createBetterAuth } from '../src/infrastructure/auth/better-auth.js';
import type { JwtAlgorithm } from '../src/infrastructure/config/env.js';
import { JoseTokenVerifier } from '../src/infrastructure/auth/jose-token-verifier.js';
import { JwksKeySource } from '../src/infrastructure/auth/jwks-key-source.js';
import { BetterAuthSessionVerifier } from './better-auth-session-verifier.js';
import { always, once, timeCalls, type Timing, type TokenSupply } from './call-timer.js';
import { createSessionOnlyBetterAuth } from './session-only-better-auth.js';
import { BENCH_AUTH_URL, BENCH_SECRET } from './settings.js';
import { mintTokens, type TokenSubject } from './token-mint.js';

export interface MicrobenchInput {
  readonly databaseUrl: string;
  readonly caller: TokenSubject;
  /** The caller's tokens from GET /api/auth/token of the EdDSA and the HS256 service. */
  readonly eddsaToken: string;
  readonly hs256Token: string;
  readonly sessionCookie: string;
  readonly seconds: number;
  /** Distinct tokens minted per algorithm for the "new token" lines (each is checked once). */
  readonly freshTokens: number;
}

export type MicroKey =
  'eddsa-new' | 'eddsa-same' | 'hs256-new' | 'hs256-same' | 'session' | 'session-only';

export interface MicroResult extends Timing {
  readonly key: MicroKey;
  readonly name: string;
}

/**
 * Row 6, in the driver's process, no HTTP. The jose verifier as the service builds it (EdDSA
 * through a JwksKeySource reading Better Auth's key set in-process; HS256 with the shared
 * secret), once with a new token on every call (a full check each time, whatever a verifier may
 * remember) and once with the same token again; and Better Auth's getSession against PostgreSQL
 * with a real session, on the service's instance (whose JWT plugin signs a token on every call)
 * and on one without that plugin.
 */
export async function runVerifierMicrobench(input: MicrobenchInput): Promise<MicroResult[]> {
  const eddsaAuth = betterAuthFor(input.databaseUrl, 'EdDSA');
  const hs256Auth = betterAuthFor(input.databaseUrl, 'HS256');
  const sessionsOnly = createSessionOnlyBetterAuth({
    databaseUrl: input.databaseUrl,
    secret: BENCH_SECRET,
    baseUrl: BENCH_AUTH_URL,
  });
  try {
    const auth = eddsaAuth.auth;
    const claims = { issuer: BENCH_AUTH_URL, audience: BENCH_AUTH_URL };
    const keys = new JwksKeySource(new URL(`${AUTH_BASE_PATH}/jwks`, BENCH_AUTH_URL), {
      fetch: (url, init) => auth.handler(new Request(url, init)),
    });
    const eddsa = new JoseTokenVerifier({ key: keys.getKey, algorithm: 'EdDSA', ...claims });
    const hs256 = new JoseTokenVerifier({
      key: new TextEncoder().encode(BENCH_SECRET),
      algorithm: 'HS256',
      ...claims,
    });
    const session = new BetterAuthSessionVerifier((headers) => auth.api.getSession({ headers }));
    const sessionOnly = new BetterAuthSessionVerifier(sessionsOnly.getSession);
    const [eddsaFresh, hs256Fresh] = await Promise.all([
      mintTokens(auth, input.caller, input.freshTokens),
      mintTokens(hs256Auth.auth, input.caller, input.freshTokens),
    ]);
    const cases: [MicroKey, string, TokenVerifier, TokenSupply][] = [
      ['eddsa-new', 'jose EdDSA (cached JWKS), a new token each call', eddsa, once(eddsaFresh)],
      [
        'eddsa-same',
        'jose EdDSA (cached JWKS), the same token again',
        eddsa,
        always(input.eddsaToken),
      ],
      ['hs256-new', 'jose HS256, a new token each call', hs256, once(hs256Fresh)],
      ['hs256-same', 'jose HS256, the same token again', hs256, always(input.hs256Token)],
      [
        'session',
        "Better Auth getSession, the service's instance (+ JWT plugin hook)",
        session,
        always(input.sessionCookie),
      ],
      [
        'session-only',
        'Better Auth getSession, session lookup only (no JWT plugin)',
        sessionOnly,
        always(input.sessionCookie),
      ],
    ];
    const results: MicroResult[] = [];
    for (const [key, name, verifier, supply] of cases) {
      const check = async (token: string) => {
        const user = await verifier.verify(token);
        if (user.id !== input.caller.id) throw new Error(`${name} verified the wrong user`);
      };
      results.push({ key, name, ...(await timeCalls(check, supply, input.seconds)) });
    }
    return results;
  } finally {
    await Promise.all([eddsaAuth.close(), hs256Auth.close(), sessionsOnly.close()]);
  }
}

/** The service's own Better Auth setup, for the given algorithm, on the bench database. */
function betterAuthFor(databaseUrl: string, algorithm: JwtAlgorithm) {
  return createBetterAuth(
    {
      secret: BENCH_SECRET,
      baseUrl: BENCH_AUTH_URL,
      trustedOrigins: [],
      trustedProxies: [],
      production: true,
      database: { kind: 'postgres', url: databaseUrl },
      algorithm,
      jwtLifetimeSeconds: 24 * 60 * 60,
    },
    pino({ level: 'silent' }),
  );
}
