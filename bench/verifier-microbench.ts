import { spawn } from 'node:child_process';
import {
  createPublicKey,
  verify as verifySignature,
  type JsonWebKeyInput,
  type KeyObject,
} from 'node:crypto';
import { decodeProtectedHeader, type JWK } from 'jose';
import { once } from 'node:events';
import { pino } from 'pino';
import type { TokenVerifier } from '../src/application/auth/token-verifier.port.js';
import type { BetterAuthInstance } from '../src/infrastructure/auth/better-auth.js';
import { loadConfig, type JwtAlgorithm } from '../src/infrastructure/config/env.js';
import { buildContainer, type ServiceConfig } from '../src/infrastructure/di/container.js';
import { TOKENS } from '../src/infrastructure/di/tokens.js';
import { BetterAuthSessionVerifier } from './better-auth-session-verifier.js';
import { always, each, timeCalls, type Timing, type TokenSupply } from './call-timer.js';
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
  | 'ed25519-only'
  | 'eddsa-new'
  | 'eddsa-same'
  | 'hs256-new'
  | 'hs256-same'
  | 'session'
  | 'session-only';

/** Row 6 in a child process (bench/verifier-process.ts): a fresh heap, as in a service. */
export async function runVerifierMicrobenchApart(input: MicrobenchInput): Promise<MicroResult[]> {
  const entry = new URL('./verifier-process.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.stdin.end(JSON.stringify(input));
  const chunks: Buffer[] = [];
  for await (const chunk of child.stdout) chunks.push(chunk as Buffer);
  const [code] = await exited;
  if (code !== 0) throw new Error(`row 6 (bench/verifier-process.js) exited with ${code}`);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as MicroResult[];
}

export interface MicroResult extends Timing {
  readonly key: MicroKey;
  readonly name: string;
}

/**
 * Row 6, in the driver's process, no HTTP. The token verifier the service's own container builds
 * (jose; EdDSA through a JwksKeySource reading the embedded Better Auth's key set in-process;
 * HS256 with the shared secret), once with a new token on every call (a full check each time, whatever a verifier may
 * remember) and once with the same token again; and Better Auth's getSession against PostgreSQL
 * with a real session, on the service's instance (whose JWT plugin signs a token on every call)
 * and on one without that plugin.
 */
export async function runVerifierMicrobench(input: MicrobenchInput): Promise<MicroResult[]> {
  const [eddsaService, hs256Service] = await Promise.all([
    buildContainer(serviceConfig(input.databaseUrl, 'EdDSA'), { logger: SILENT }),
    buildContainer(serviceConfig(input.databaseUrl, 'HS256'), { logger: SILENT }),
  ]);
  const sessionsOnly = createSessionOnlyBetterAuth({
    databaseUrl: input.databaseUrl,
    secret: BENCH_SECRET,
    baseUrl: BENCH_AUTH_URL,
  });
  try {
    // The verifiers exactly as the service's composition root builds them.
    const eddsa = eddsaService.container.get<TokenVerifier>(TOKENS.TokenVerifier);
    const hs256 = hs256Service.container.get<TokenVerifier>(TOKENS.TokenVerifier);
    const auth = eddsaService.container.get<BetterAuthInstance>(TOKENS.BetterAuth);
    const hs256Auth = hs256Service.container.get<BetterAuthInstance>(TOKENS.BetterAuth);
    const session = new BetterAuthSessionVerifier((headers) => auth.api.getSession({ headers }));
    const sessionOnly = new BetterAuthSessionVerifier(sessionsOnly.getSession);
    const [eddsaFresh, hs256Fresh] = await Promise.all([
      mintTokens(auth, input.caller, input.freshTokens),
      mintTokens(hs256Auth, input.caller, input.freshTokens),
    ]);
    const signatureOnly = await signatureOnlyVerifier(auth, input.caller.id);
    const cases: [MicroKey, string, TokenVerifier, TokenSupply][] = [
      [
        'ed25519-only',
        'node:crypto Ed25519 signature only (the floor), a new token each call',
        signatureOnly,
        each(eddsaFresh),
      ],
      ['eddsa-new', 'jose EdDSA (cached JWKS), a new token each call', eddsa, each(eddsaFresh)],
      [
        'eddsa-same',
        'jose EdDSA (cached JWKS), the same token again',
        eddsa,
        always(input.eddsaToken),
      ],
      ['hs256-new', 'jose HS256, a new token each call', hs256, each(hs256Fresh)],
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
    await Promise.all([eddsaService.close(), hs256Service.close(), sessionsOnly.close()]);
  }
}

const SILENT = pino({ level: 'silent' });

/**
 * The arithmetic no EdDSA verifier can skip, as a TokenVerifier: the Ed25519 signature checked
 * synchronously with node:crypto against the embedded issuer's key, nothing else (no claims, no
 * key lookup, no WebCrypto). Not safe as a verifier; it is the floor this CPU sets.
 */
async function signatureOnlyVerifier(auth: BetterAuthInstance, userId: string) {
  const { keys } = (await auth.api.getJwks()) as { keys: JWK[] };
  const byKid = new Map<string | undefined, KeyObject>(
    keys.map((jwk) => [
      jwk.kid,
      createPublicKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' }),
    ]),
  );
  const verifier: TokenVerifier = {
    verify: async (token) => {
      const [header = '', payload = '', signature = ''] = token.split('.');
      const key = byKid.get(decodeProtectedHeader(token).kid);
      const data = Buffer.from(`${header}.${payload}`);
      if (!key || !verifySignature(null, data, key, Buffer.from(signature, 'base64url'))) {
        throw new Error('the Ed25519 signature did not verify');
      }
      return { id: userId, email: null, name: null };
    },
  };
  return verifier;
}

/** The service's configuration for the given algorithm, on the bench database. */
function serviceConfig(databaseUrl: string, algorithm: JwtAlgorithm): ServiceConfig {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: BENCH_SECRET,
    BETTER_AUTH_URL: BENCH_AUTH_URL,
    AUTH_JWT_ALG: algorithm,
    WEB_UI: 'false',
    LOG_LEVEL: 'silent',
  });
  return { ...config, authSecret: BENCH_SECRET };
}
