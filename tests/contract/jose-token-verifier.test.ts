import { describe, expect, it } from '@jest/globals';
import { userOf } from '../support/verified.js';
import {
  base64url,
  CompactEncrypt,
  CompactSign,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthenticatedUser } from '../../src/application/auth/authenticated-user.js';
import { DependencyUnavailableError } from '../../src/application/shared/dependency-unavailable.error.js';
import {
  JoseTokenVerifier,
  MAX_TOKEN_BYTES,
} from '../../src/infrastructure/auth/jose-token-verifier.js';
import { JwksKeySource, type JwksFetch } from '../../src/infrastructure/auth/jwks-key-source.js';
import { settle } from '../support/waiting.js';
import { expectInvalidToken } from './token-assertions.js';
import { tokenVerifierContract } from './token-verifier.contract.js';

const ISSUER = 'http://issuer.test';
const JWKS_URL = new URL('http://issuer.test/api/auth/jwks');
const KID = 'key-2026';
/** Every check runs at this instant, whatever the wall clock says. */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const ALICE: AuthenticatedUser = { id: 'user-alice', email: 'alice@example.test', name: 'Alice' };

interface Issuer {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly jwks: JSONWebKeySet;
}

async function createIssuer(kid = KID): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { privateKey, publicJwk, jwks: { keys: [publicJwk] } };
}

/** A key-set endpoint served in-process; records every URL it was asked for. */
function jwksEndpoint(respond: () => Promise<Response>): {
  fetch: JwksFetch;
  requests: string[];
} {
  const requests: string[] = [];
  return {
    requests,
    fetch: async (url) => {
      requests.push(url);
      return respond();
    },
  };
}

const serve = (jwks: JSONWebKeySet) => async () =>
  new Response(JSON.stringify(jwks), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

function verifierWith(key: JWTVerifyGetKey, now = NOW): JoseTokenVerifier {
  return new JoseTokenVerifier({
    key,
    algorithm: 'EdDSA',
    issuer: ISSUER,
    audience: ISSUER,
    clock: { now: () => now },
  });
}

/** The claims Better Auth puts in its JWTs, valid at NOW; `undefined` removes a claim. */
function claimsFor(user: AuthenticatedUser, overrides: Record<string, unknown> = {}): JWTPayload {
  const claims: Record<string, unknown> = {
    sub: user.id,
    user_id: user.id,
    email: user.email,
    name: user.name,
    iat: NOW_S - 60,
    exp: NOW_S + 15 * 60,
    iss: ISSUER,
    aud: ISSUER,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

async function sign(
  issuer: Issuer,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: KID, ...header })
    .sign(issuer.privateKey);
}

const encodeJson = (value: unknown): string => base64url.encode(JSON.stringify(value));

const decodePayload = (token: string): unknown =>
  JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[1] ?? '')));

/** Builds a verifier trusting a fresh issuer's key set, fetched like production does. */
async function remoteSetup() {
  const issuer = await createIssuer();
  const endpoint = jwksEndpoint(serve(issuer.jwks));
  const verifier = verifierWith(new JwksKeySource(JWKS_URL, { fetch: endpoint.fetch }).getKey);
  return { issuer, endpoint, verifier };
}

tokenVerifierContract('JoseTokenVerifier with a fetched key set', async () => {
  const { issuer, verifier } = await remoteSetup();
  return {
    verifier,
    issueValid: (user) => sign(issuer, claimsFor(user)),
    issueExpired: (user) => sign(issuer, claimsFor(user, { iat: NOW_S - 7200, exp: NOW_S - 3600 })),
    issueLongLived: (user) =>
      sign(issuer, claimsFor(user, { iat: NOW_S, exp: NOW_S + 2 * 86_400 })),
    teardown: async () => {},
  };
});

tokenVerifierContract('JoseTokenVerifier with a local key set', async () => {
  const issuer = await createIssuer();
  const verifier = verifierWith(createLocalJWKSet(issuer.jwks));
  return {
    verifier,
    issueValid: (user) => sign(issuer, claimsFor(user)),
    issueExpired: (user) => sign(issuer, claimsFor(user, { iat: NOW_S - 7200, exp: NOW_S - 3600 })),
    issueLongLived: (user) =>
      sign(issuer, claimsFor(user, { iat: NOW_S, exp: NOW_S + 2 * 86_400 })),
    teardown: async () => {},
  };
});

describe('JoseTokenVerifier remembering the tokens it verified', () => {
  /** A verifier on a key set fetched like production does, with clocks the test moves. */
  async function rememberingSetup(memo?: { maxEntries: number }) {
    const issuer = await createIssuer();
    let published = issuer.jwks;
    const clock = { now: NOW, monotonicMs: 0 };
    const keySource = new JwksKeySource(JWKS_URL, {
      fetch: jwksEndpoint(async () => serve(published)()).fetch,
      clock: { now: () => new Date(clock.monotonicMs) },
    });
    const verifier = new JoseTokenVerifier({
      key: keySource.getKey,
      algorithm: 'EdDSA',
      issuer: ISSUER,
      audience: ISSUER,
      clock: { now: () => clock.now },
      ...(memo ? { memo } : {}),
    });
    const publish = (jwks: JSONWebKeySet) => {
      published = jwks;
    };
    return { issuer, clock, verifier, publish };
  }

  const at = (seconds: number) => new Date(seconds * 1000);

  it('answers a token it verified before from memory', async () => {
    const { issuer, verifier } = await rememberingSetup();
    const token = await sign(issuer, claimsFor(ALICE));

    const first = await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('checks every token in full with maxEntries: 0', async () => {
    const { issuer, verifier } = await rememberingSetup({ maxEntries: 0 });
    const token = await sign(issuer, claimsFor(ALICE));

    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it('forgets the oldest token beyond maxEntries', async () => {
    const { issuer, verifier } = await rememberingSetup({ maxEntries: 1 });
    const alice = await sign(issuer, claimsFor(ALICE));
    const bob = await sign(issuer, claimsFor({ id: 'user-bob', email: null, name: null }));

    const first = await verifier.verify(alice);
    await verifier.verify(bob);
    await expect(verifier.verify(alice)).resolves.not.toBe(first);
  });

  it('checks a remembered token in full again after a minute', async () => {
    const { issuer, clock, verifier } = await rememberingSetup();
    const token = await sign(issuer, claimsFor(ALICE));
    const first = await verifier.verify(token);

    clock.now = at(NOW_S + 59);
    await expect(verifier.verify(token)).resolves.toBe(first);
    clock.now = at(NOW_S + 60);
    await expect(verifier.verify(token)).resolves.not.toBe(first);
  });

  it('still refuses a remembered token once it has expired', async () => {
    const { issuer, clock, verifier } = await rememberingSetup();
    const token = await sign(issuer, claimsFor(ALICE, { exp: NOW_S + 30 }));
    const first = await verifier.verify(token);

    clock.now = at(NOW_S + 30 + 4); // within the 5 s tolerance
    await expect(verifier.verify(token)).resolves.toBe(first);
    clock.now = at(NOW_S + 30 + 5);
    await expectInvalidToken(verifier.verify(token), token);
  });

  it('refuses a remembered token once its key is withdrawn from the key set', async () => {
    const { issuer, clock, verifier, publish } = await rememberingSetup();
    const token = await sign(issuer, claimsFor(ALICE));
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    const replacement = await createIssuer('key-2027');
    publish(replacement.jwks);

    // The cached set grows old: the next request starts a refresh in the background.
    clock.monotonicMs = 10 * 60_000 + 1;
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    await settle();

    await expectInvalidToken(verifier.verify(token), token);
  });

  it('refuses a remembered token once its kid names another key', async () => {
    const { issuer, clock, verifier, publish } = await rememberingSetup();
    const token = await sign(issuer, claimsFor(ALICE));
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    publish((await createIssuer(KID)).jwks); // a new key pair under the same kid

    clock.monotonicMs = 10 * 60_000 + 1;
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    await settle();

    await expectInvalidToken(verifier.verify(token), token);
  });

  it('does not answer from memory when the clock reads earlier than the check', async () => {
    const { issuer, clock, verifier } = await rememberingSetup();
    const token = await sign(issuer, claimsFor(ALICE, { iat: NOW_S }));
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);

    // A clock stepped back 10 s: the token now claims to be issued in the future.
    clock.now = at(NOW_S - 10);
    await expectInvalidToken(verifier.verify(token), token);
  });

  it('does not remember a token it refused', async () => {
    const { issuer, verifier } = await rememberingSetup();
    // Signed and in time for jose, refused by the verifier's own rule on iat.
    const early = await sign(issuer, claimsFor(ALICE, { iat: NOW_S + 60 }));

    await expectInvalidToken(verifier.verify(early), early);
    await expectInvalidToken(verifier.verify(early), early);
  });

  it('remembers HS256 tokens too', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-characters');
    const verifier = new JoseTokenVerifier({
      key: secret,
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: ISSUER,
      clock: { now: () => NOW },
    });
    const token = await new SignJWT(claimsFor(ALICE))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(secret);

    const first = await verifier.verify(token);
    expect(first.user).toEqual(ALICE);
    await expect(verifier.verify(token)).resolves.toBe(first);
  });
});

describe('JoseTokenVerifier against forged and malformed tokens', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])(
    'refuses an unsigned token with alg %j',
    async (alg) => {
      const { verifier } = await remoteSetup();
      const token = `${encodeJson({ alg, typ: 'JWT' })}.${encodeJson(claimsFor(ALICE))}.`;

      await expectInvalidToken(verifier.verify(token), token);
    },
  );

  it('refuses an unsigned token that keeps the real kid', async () => {
    const { verifier } = await remoteSetup();
    const token = `${encodeJson({ alg: 'none', kid: KID })}.${encodeJson(claimsFor(ALICE))}.`;

    await expectInvalidToken(verifier.verify(token), token);
  });

  it('refuses an HS256 token keyed with the public JWK (algorithm confusion)', async () => {
    const { issuer, verifier } = await remoteSetup();
    const secrets = [
      new TextEncoder().encode(JSON.stringify(issuer.publicJwk)),
      new TextEncoder().encode(JSON.stringify(issuer.jwks)),
      base64url.decode(issuer.publicJwk.x ?? ''),
    ];

    for (const secret of secrets) {
      const token = await new SignJWT(claimsFor(ALICE))
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KID })
        .sign(secret);
      await expectInvalidToken(verifier.verify(token), token);
    }
  });

  it('refuses a token whose payload was changed under the original signature', async () => {
    const { issuer, verifier } = await remoteSetup();
    const token = await sign(issuer, claimsFor(ALICE));
    const [head, , signature] = token.split('.');
    const forged = claimsFor({ ...ALICE, id: 'user-mallory' });
    const tampered = `${head}.${encodeJson(forged)}.${signature}`;
    expect(decodePayload(tampered)).toMatchObject({ sub: 'user-mallory' });

    await expectInvalidToken(verifier.verify(tampered), tampered, 'user-mallory');
  });

  it.each([
    ['the unused bits of its last character set', 'unused-bits'],
    ['a space inside', 'inner-space'],
    ['a trailing newline', 'trailing-newline'],
    ['a trailing space', 'trailing-space'],
  ] as const)('refuses a signature re-encoded with %s', async (_, how) => {
    const { issuer, verifier } = await remoteSetup();
    const token = await sign(issuer, claimsFor(ALICE));
    const signature = token.split('.')[2] ?? '';
    const signed = token.slice(0, token.length - signature.length);
    // An Ed25519 signature is 86 characters; the last one carries 2 bits and 4 unused ones.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1) ?? '');
    const middle = signature.length / 2;
    const reencoded = {
      'unused-bits': `${signature.slice(0, -1)}${alphabet[(last & 0b110000) | (~last & 0b001111)]}`,
      'inner-space': `${signature.slice(0, middle)} ${signature.slice(middle)}`,
      'trailing-newline': `${signature}\n`,
      'trailing-space': `${signature} `,
    }[how];
    const variant = signed + reencoded;
    expect(variant).not.toBe(token);

    await expectInvalidToken(verifier.verify(variant), variant);
  });

  it('refuses a token whose signature was stripped', async () => {
    const { issuer, verifier } = await remoteSetup();
    const token = await sign(issuer, claimsFor(ALICE));
    const [head, body] = token.split('.');

    for (const stripped of [`${head}.${body}.`, `${head}.${body}`]) {
      await expectInvalidToken(verifier.verify(stripped), stripped);
    }
  });

  it('refuses a token whose signature belongs to another valid token', async () => {
    const { issuer, verifier } = await remoteSetup();
    const alice = await sign(issuer, claimsFor(ALICE));
    const mallory = await sign(issuer, claimsFor({ ...ALICE, id: 'user-mallory' }));
    const spliced = [...mallory.split('.').slice(0, 2), alice.split('.')[2]].join('.');

    await expectInvalidToken(verifier.verify(spliced), spliced);
  });

  it("refuses a token signed with an attacker's key that carries the real kid", async () => {
    const { verifier } = await remoteSetup();
    const attacker = await createIssuer(KID);

    const token = await sign(attacker, claimsFor(ALICE));

    await expectInvalidToken(verifier.verify(token), token);
  });

  it("refuses a token signed with an attacker's key and no kid", async () => {
    const { verifier } = await remoteSetup();
    const attacker = await createIssuer();

    const token = await new SignJWT(claimsFor(ALICE))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .sign(attacker.privateKey);

    await expectInvalidToken(verifier.verify(token), token);
  });

  it("ignores an attacker's key embedded in the header (jwk)", async () => {
    const { verifier } = await remoteSetup();
    const attacker = await createIssuer(KID);

    const token = await sign(attacker, claimsFor(ALICE), { jwk: attacker.publicJwk });

    await expectInvalidToken(verifier.verify(token), token);
  });

  it('ignores a key-set URL named in the header (jku) and fetches only its own', async () => {
    const { endpoint, verifier } = await remoteSetup();
    const attacker = await createIssuer(KID);

    const token = await sign(attacker, claimsFor(ALICE), { jku: 'http://attacker.test/jwks' });

    await expectInvalidToken(verifier.verify(token), token);
    expect(endpoint.requests.length).toBeGreaterThan(0);
    expect(new Set(endpoint.requests)).toEqual(new Set([JWKS_URL.href]));
  });

  it('refuses a token whose kid names no published key', async () => {
    const { issuer, verifier } = await remoteSetup();

    const token = await sign(issuer, claimsFor(ALICE), { kid: 'unknown-kid' });

    await expectInvalidToken(verifier.verify(token), token, 'unknown-kid');
  });

  it('refuses a token with a critical header extension it does not understand', async () => {
    const { issuer, verifier } = await remoteSetup();

    const token = await new SignJWT(claimsFor(ALICE))
      .setProtectedHeader({ alg: 'EdDSA', kid: KID, crit: ['x-unknown'], 'x-unknown': true })
      .sign(issuer.privateKey, { crit: { 'x-unknown': true } });

    await expectInvalidToken(verifier.verify(token), token);
  });

  it.each([
    ['a JSON array', '["user-alice"]'],
    ['a JSON string', '"user-alice"'],
    ['not JSON', 'user-alice'],
  ])('refuses a signed payload that is %s', async (_, text) => {
    const { issuer, verifier } = await remoteSetup();

    const token = await new CompactSign(new TextEncoder().encode(text))
      .setProtectedHeader({ alg: 'EdDSA', kid: KID })
      .sign(issuer.privateKey);

    await expectInvalidToken(verifier.verify(token), token);
  });

  it('refuses a JWE-shaped five-part token', async () => {
    const { verifier } = await remoteSetup();
    const secret = new Uint8Array(32).fill(7);

    const token = await new CompactEncrypt(
      new TextEncoder().encode(JSON.stringify(claimsFor(ALICE))),
    )
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: KID })
      .encrypt(secret);
    expect(token.split('.')).toHaveLength(5);

    await expectInvalidToken(verifier.verify(token), token);
  });

  it('refuses a token longer than 8 KiB, even a validly signed one', async () => {
    const { issuer, endpoint, verifier } = await remoteSetup();
    const token = await sign(issuer, claimsFor(ALICE, { padding: 'x'.repeat(MAX_TOKEN_BYTES) }));
    expect(token.length).toBeGreaterThan(8 * 1024);

    await expectInvalidToken(verifier.verify(token), token);
    await expectInvalidToken(verifier.verify('a'.repeat(1024 * 1024)), 'a'.repeat(1024 * 1024));
    // Refused before any key is looked up.
    expect(endpoint.requests).toEqual([]);
  });

  it('accepts a validly signed token just under 8 KiB', async () => {
    const { issuer, verifier } = await remoteSetup();
    const short = await sign(issuer, claimsFor(ALICE, { padding: '' }));
    const padding = 'x'.repeat(Math.floor(((8 * 1024 - short.length) * 3) / 4) - 8);

    const token = await sign(issuer, claimsFor(ALICE, { padding }));

    expect(token.length).toBeLessThanOrEqual(8 * 1024);
    expect(token.length).toBeGreaterThan(8 * 1024 - 32);
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
  });
});

describe('JoseTokenVerifier claim checks', () => {
  async function verifyClaims(overrides: Record<string, unknown>) {
    const { issuer, verifier } = await remoteSetup();
    const token = await sign(issuer, claimsFor(ALICE, overrides));
    return { token, verification: verifier.verify(token) };
  }

  it.each(['http://evil.test', 'http://issuer.test/', 'HTTP://ISSUER.TEST', 'issuer.test', ''])(
    'refuses the issuer %j',
    async (iss) => {
      const { token, verification } = await verifyClaims({ iss });

      await expectInvalidToken(verification, token, ...(iss ? [iss] : []));
    },
  );

  it('refuses a token without an issuer', async () => {
    const { token, verification } = await verifyClaims({ iss: undefined });

    await expectInvalidToken(verification, token);
  });

  it.each([
    ['another audience', 'http://other.test'],
    ['our audience with a trailing slash', 'http://issuer.test/'],
    ['an array without our audience', ['http://other.test', 'http://third.test']],
    ['an empty array', []],
  ])('refuses %s', async (_, aud) => {
    const { token, verification } = await verifyClaims({ aud });

    await expectInvalidToken(verification, token, 'other.test');
  });

  it('refuses a token without an audience', async () => {
    const { token, verification } = await verifyClaims({ aud: undefined });

    await expectInvalidToken(verification, token);
  });

  it('accepts an audience array that contains ours', async () => {
    const { verification } = await verifyClaims({ aud: ['http://other.test', ISSUER] });

    await expect(userOf(verification)).resolves.toEqual(ALICE);
  });

  it.each(['exp', 'iat', 'sub'])('refuses a token without %s', async (claim) => {
    const { token, verification } = await verifyClaims({ [claim]: undefined });

    await expectInvalidToken(verification, token);
  });

  it.each(['', '   '])('refuses the empty subject %j', async (sub) => {
    const { token, verification } = await verifyClaims({ sub, user_id: sub });

    await expectInvalidToken(verification, token);
  });

  it('refuses a subject longer than a user id can be stored (255 characters)', async () => {
    const { token, verification } = await verifyClaims({
      sub: 'u'.repeat(256),
      user_id: undefined,
    });
    await expectInvalidToken(verification, token);

    const longest = await verifyClaims({ sub: 'u'.repeat(255), user_id: undefined });
    await expect(userOf(longest.verification)).resolves.toMatchObject({ id: 'u'.repeat(255) });
  });

  it.each([
    ['a number', 42],
    ['null', null],
  ])('refuses a subject that is %s', async (_, sub) => {
    const { token, verification } = await verifyClaims({ sub, user_id: undefined });

    await expectInvalidToken(verification, token);
  });

  it.each([
    ['another user', 'user-mallory'],
    ['null', null],
    ['a number', 1],
  ])('refuses a user_id that is %s instead of the subject', async (_, userId) => {
    const { token, verification } = await verifyClaims({ user_id: userId });

    await expectInvalidToken(verification, token, 'user-mallory');
  });

  it('takes the identity from sub, not from other claims', async () => {
    const { verification } = await verifyClaims({ id: 'user-mallory', userId: 'user-mallory' });

    await expect(userOf(verification)).resolves.toEqual(ALICE);
  });

  it('maps email and name that are not strings to null', async () => {
    const { verification } = await verifyClaims({ email: ['a@b.test'], name: { first: 'A' } });

    await expect(userOf(verification)).resolves.toEqual({ id: ALICE.id, email: null, name: null });
  });

  it.each([
    ['expired 6 s ago', NOW_S - 6, false],
    ['expired 4 s ago, within the 5 s tolerance', NOW_S - 4, true],
  ])('judges a token %s', async (_, exp, accepted) => {
    const { token, verification } = await verifyClaims({ iat: NOW_S - 600, exp });

    if (accepted) await expect(userOf(verification)).resolves.toEqual(ALICE);
    else await expectInvalidToken(verification, token);
  });

  it.each([
    ['not valid for another 6 s', NOW_S + 6, false],
    ['not valid for another 4 s, within the 5 s tolerance', NOW_S + 4, true],
    ['valid since a minute ago', NOW_S - 60, true],
  ])('judges a token %s (nbf)', async (_, nbf, accepted) => {
    const { token, verification } = await verifyClaims({ nbf });

    if (accepted) await expect(userOf(verification)).resolves.toEqual(ALICE);
    else await expectInvalidToken(verification, token);
  });

  it.each([
    ['issued 6 s in the future', NOW_S + 6, false],
    ['issued an hour in the future', NOW_S + 3600, false],
    ['issued 4 s in the future, within the 5 s tolerance', NOW_S + 4, true],
  ])('judges a token %s (iat)', async (_, iat, accepted) => {
    const { token, verification } = await verifyClaims({ iat, exp: NOW_S + 7200 });

    if (accepted) await expect(userOf(verification)).resolves.toEqual(ALICE);
    else await expectInvalidToken(verification, token);
  });

  it.each([
    ['exp', 'tomorrow'],
    ['iat', 'yesterday'],
    ['nbf', 'now'],
  ])('refuses a %s that is not a number', async (claim, value) => {
    const { token, verification } = await verifyClaims({ [claim]: value });

    await expectInvalidToken(verification, token, value);
  });

  it.each([
    ['24 hours and 5 s, within the tolerance', 86_400 + 5, true],
    ['24 hours and 6 s', 86_400 + 6, false],
    ['a year', 365 * 86_400, false],
  ])('judges a token that lives %s from iat to exp', async (_, lifetime, accepted) => {
    const iat = NOW_S - 60;
    const { token, verification } = await verifyClaims({ iat, exp: iat + lifetime });

    if (accepted) await expect(userOf(verification)).resolves.toEqual(ALICE);
    else {
      await expectInvalidToken(verification, token);
      await expect(verification).rejects.toMatchObject({
        description: 'The token lives longer than this API accepts (86400 s from iat to exp)',
      });
    }
  });

  it('refuses a token issued days ago whose exp is still ahead', async () => {
    const { token, verification } = await verifyClaims({
      iat: NOW_S - 3 * 86_400,
      exp: NOW_S + 60,
    });

    await expectInvalidToken(verification, token);
  });

  it('takes the maximum age it is given (JWT_MAX_AGE_SECONDS)', async () => {
    const issuer = await createIssuer();
    const verifier = new JoseTokenVerifier({
      key: createLocalJWKSet(issuer.jwks),
      algorithm: 'EdDSA',
      issuer: ISSUER,
      audience: ISSUER,
      clock: { now: () => NOW },
      maxAgeSeconds: 900,
    });
    const fifteenMinutes = await sign(issuer, claimsFor(ALICE, { iat: NOW_S, exp: NOW_S + 900 }));
    const sixteenMinutes = await sign(issuer, claimsFor(ALICE, { iat: NOW_S, exp: NOW_S + 960 }));

    await expect(userOf(verifier.verify(fifteenMinutes))).resolves.toEqual(ALICE);
    await expect(verifier.verify(sixteenMinutes)).rejects.toMatchObject({
      description: 'The token lives longer than this API accepts (900 s from iat to exp)',
    });
  });

  it('checks lifetimes against its own clock, not the wall clock', async () => {
    const issuer = await createIssuer();
    const later = new Date(NOW.getTime() + 60 * 60 * 1000);
    const token = await sign(issuer, claimsFor(ALICE));

    await expect(
      userOf(verifierWith(createLocalJWKSet(issuer.jwks)).verify(token)),
    ).resolves.toEqual(ALICE);
    await expectInvalidToken(
      verifierWith(createLocalJWKSet(issuer.jwks), later).verify(token),
      token,
    );
  });
});

describe('JoseTokenVerifier and the session a token names (sid)', () => {
  function verifierRequiringSessions(issuer: Issuer, sessionRequired: boolean) {
    return new JoseTokenVerifier({
      key: createLocalJWKSet(issuer.jwks),
      algorithm: 'EdDSA',
      issuer: ISSUER,
      audience: ISSUER,
      clock: { now: () => NOW },
      sessionRequired,
    });
  }

  it('refuses a token without sid where every token comes from a session', async () => {
    const issuer = await createIssuer();
    const verifier = verifierRequiringSessions(issuer, true);
    const token = await sign(issuer, claimsFor(ALICE));

    await expectInvalidToken(verifier.verify(token), token);
    await expect(verifier.verify(token)).rejects.toMatchObject({
      description: 'The token lacks the sid claim: it names no session',
    });
  });

  it('accepts a token with sid there, and says which session it names', async () => {
    const issuer = await createIssuer();
    const verifier = verifierRequiringSessions(issuer, true);
    const token = await sign(issuer, claimsFor(ALICE, { sid: 'session-1' }));

    await expect(verifier.verify(token)).resolves.toMatchObject({
      user: ALICE,
      sessionId: 'session-1',
    });
  });

  it('accepts a token without sid otherwise (an issuer elsewhere may have no sessions)', async () => {
    const issuer = await createIssuer();
    const token = await sign(issuer, claimsFor(ALICE));

    await expect(verifierRequiringSessions(issuer, false).verify(token)).resolves.toMatchObject({
      user: ALICE,
      sessionId: null,
    });
    await expect(
      userOf(verifierWith(createLocalJWKSet(issuer.jwks)).verify(token)),
    ).resolves.toEqual(ALICE);
  });
});

describe('JoseTokenVerifier when the key set cannot be fetched', () => {
  const failures: [string, () => Promise<Response>][] = [
    [
      'the request fails',
      async () => {
        throw new TypeError('fetch failed');
      },
    ],
    ['the server answers 500', async () => new Response('oops', { status: 500 })],
    ['the server answers 404', async () => new Response('not found', { status: 404 })],
    ['the body is not JSON', async () => new Response('<html>', { status: 200 })],
    ['the body is not a key set', async () => new Response('{"keys":"none"}', { status: 200 })],
  ];

  it.each(failures)(
    'rejects a valid token with DependencyUnavailableError when %s',
    async (_, respond) => {
      const issuer = await createIssuer();
      const endpoint = jwksEndpoint(respond);
      const verifier = verifierWith(new JwksKeySource(JWKS_URL, { fetch: endpoint.fetch }).getKey);
      const token = await sign(issuer, claimsFor(ALICE));

      const verification = verifier.verify(token);

      await expect(verification).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(verification).rejects.toMatchObject({ dependency: 'key-set' });
      expect(endpoint.requests).toEqual([JWKS_URL.href]);
    },
  );

  it('still refuses a malformed or unsigned token with InvalidTokenError', async () => {
    const endpoint = jwksEndpoint(async () => new Response('oops', { status: 500 }));
    const verifier = verifierWith(new JwksKeySource(JWKS_URL, { fetch: endpoint.fetch }).getKey);
    const unsigned = `${encodeJson({ alg: 'none' })}.${encodeJson(claimsFor(ALICE))}.`;

    for (const token of ['abc', 'a.b.c', unsigned]) {
      await expectInvalidToken(verifier.verify(token), token);
    }
    expect(endpoint.requests).toEqual([]);
  });

  it('verifies tokens again once the key set is back', async () => {
    const issuer = await createIssuer();
    let available = false;
    const endpoint = jwksEndpoint(async () =>
      available ? serve(issuer.jwks)() : new Response('oops', { status: 503 }),
    );
    let clock = 0;
    const keys = new JwksKeySource(JWKS_URL, {
      fetch: endpoint.fetch,
      clock: { now: () => new Date(clock) },
    });
    const verifier = verifierWith(keys.getKey);
    const token = await sign(issuer, claimsFor(ALICE));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(DependencyUnavailableError);

    available = true;
    // Right after a failure, requests fail fast instead of hammering a struggling issuer…
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(endpoint.requests).toHaveLength(1);

    // …and a second later the next request fetches again and heals.
    clock += 1_000;
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    expect(endpoint.requests).toHaveLength(2);
  });
});

describe('JoseTokenVerifier with a fetched key set', () => {
  it('fetches the key set once for many tokens', async () => {
    const { issuer, endpoint, verifier } = await remoteSetup();

    for (let i = 0; i < 3; i++) {
      const token = await sign(issuer, claimsFor(ALICE));
      await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    }

    expect(endpoint.requests).toEqual([JWKS_URL.href]);
  });
});
