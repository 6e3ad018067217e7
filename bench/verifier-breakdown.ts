import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { JoseTokenVerifier } from '../src/infrastructure/auth/jose-token-verifier.js';
import { JwksKeySource } from '../src/infrastructure/auth/jwks-key-source.js';

/**
 * Where the time of one token check goes, layer by layer, from the raw signature check up to the
 * service's verifier (no database, no HTTP, a fresh key pair). One call at a time, like row 6,
 * the same token back to back, except on the line that says otherwise.
 * Usage: node dist-bench/bench/verifier-breakdown.js [seconds per line, default 2]
 */
const seconds = Number(process.argv[2] ?? 2);
const OUT_OF_TOKENS = Symbol('out of tokens');
const ISSUER = 'http://task-api.bench';
const claims = { issuer: ISSUER, audience: ISSUER };
const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
  crv: 'Ed25519',
  extractable: true,
});
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
const sign = (key: Parameters<SignJWT['sign']>[0], alg: string, jti = 'first') =>
  new SignJWT({ user_id: 'u1', email: 'u1@example.com', name: 'U', jti })
    .setProtectedHeader({ alg, kid: 'bench', typ: 'JWT' })
    .setSubject('u1')
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
const token = await sign(privateKey, 'EdDSA');
const secret = new TextEncoder().encode('bench-secret-that-is-at-least-32-characters-long');
const hsToken = await sign(secret, 'HS256');
const hmacKey = await crypto.subtle.importKey(
  'raw',
  secret,
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['verify'],
);

const [header, payload, signature] = token.split('.') as [string, string, string];
const nodeKey = createPublicKey({ key: jwk, format: 'jwk' });
const localSet = createLocalJWKSet({ keys: [jwk] });
const keySource = new JwksKeySource(new URL(`${ISSUER}/api/auth/jwks`), {
  fetch: async () => Response.json({ keys: [jwk] }),
});
const eddsa = new JoseTokenVerifier({ key: keySource.getKey, algorithm: 'EdDSA', ...claims });

const lines: [string, () => unknown][] = [
  [
    'node:crypto verify, Ed25519 signature only (sync)',
    () =>
      nodeVerify(
        null,
        Buffer.from(`${header}.${payload}`),
        nodeKey,
        Buffer.from(signature, 'base64url'),
      ),
  ],
  [
    'jose jwtVerify, EdDSA, imported CryptoKey (WebCrypto, async)',
    () => jwtVerify(token, publicKey, claims),
  ],
  ['jose jwtVerify, EdDSA, createLocalJWKSet', () => jwtVerify(token, localSet, claims)],
  [
    'JoseTokenVerifier, EdDSA, JwksKeySource (as in the service), a new token each call',
    fresh(eddsa, await freshTokens()),
  ],
  ['  the same, the same token again (remembered)', () => eddsa.verify(token)],
  [
    'jose jwtVerify, HS256, raw secret bytes (re-imported on every call)',
    () => jwtVerify(hsToken, secret, claims),
  ],
  ['jose jwtVerify, HS256, CryptoKey imported once', () => jwtVerify(hsToken, hmacKey, claims)],
  ['JoseTokenVerifier, HS256 (as in the service), the same token again (remembered)', hsVerifier()],
];

console.log(`One call at a time, ${seconds} s per line, Node ${process.version}`);
for (const [name, fn] of lines) {
  await time(fn, Math.min(0.5, seconds));
  console.log(`${(await time(fn, seconds)).toFixed(1).padStart(8)} us  ${name}`);
}

/** Enough distinct tokens to give every call of a line its own (a signature is ~0.1 ms). */
async function freshTokens(): Promise<string[]> {
  const count = Math.ceil((seconds + 0.5) * 4_000);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) tokens.push(await sign(privateKey, 'EdDSA', `t${i}`));
  return tokens;
}

function fresh(verifier: JoseTokenVerifier, tokens: readonly string[]) {
  let next = 0;
  return () => {
    const t = tokens[next++];
    return t === undefined ? OUT_OF_TOKENS : verifier.verify(t);
  };
}

function hsVerifier() {
  const verifier = new JoseTokenVerifier({ key: hmacKey, algorithm: 'HS256', ...claims });
  return () => verifier.verify(hsToken);
}

/**
 * Mean microseconds per call, calling (and awaiting) `fn` back to back for `s` seconds, or until
 * it answers OUT_OF_TOKENS.
 */
async function time(fn: () => unknown, s: number): Promise<number> {
  const start = performance.now();
  const end = start + s * 1000;
  let calls = 0;
  while (performance.now() < end) {
    if ((await fn()) === OUT_OF_TOKENS) break;
    calls += 1;
  }
  return ((performance.now() - start) * 1000) / calls;
}
