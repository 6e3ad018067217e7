import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { userOf } from '../../support/verified.js';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { InvalidTokenError } from '../../../src/application/auth/auth.errors.js';
import type { AuthenticatedUser } from '../../../src/application/auth/authenticated-user.js';
import { DependencyUnavailableError } from '../../../src/application/shared/dependency-unavailable.error.js';
import { JoseTokenVerifier } from '../../../src/infrastructure/auth/jose-token-verifier.js';
import { JwksKeySource } from '../../../src/infrastructure/auth/jwks-key-source.js';
import { aGate } from '../../support/gate.js';
import { settle } from '../../support/waiting.js';

const ISSUER = 'http://issuer.test';
const JWKS_URL = new URL('http://issuer.test/api/auth/jwks');
/** Token lifetimes are checked at this instant; the key source has its own monotonic clock. */
const NOW = new Date('2026-01-01T00:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const ALICE: AuthenticatedUser = { id: 'user-alice', email: 'alice@example.test', name: 'Alice' };

/** The defaults of JwksKeySource, restated so a changed default shows up here. */
const COOLDOWN_MS = 30_000;
const MAX_AGE_MS = 10 * 60_000;
const RETRY_AFTER_FAILURE_MS = 1_000;

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function aSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/** A token for Alice, valid at NOW, signed with `key` and naming `kid` (the key's own by default). */
function tokenSignedWith(key: SigningKey, kid = key.kid): Promise<string> {
  return new SignJWT({ sub: ALICE.id, user_id: ALICE.id, email: ALICE.email, name: ALICE.name })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt(NOW_S - 60)
    .setExpirationTime(NOW_S + 15 * 60)
    .sign(key.privateKey);
}

const keySetOf = (keys: readonly SigningKey[]): Response =>
  new Response(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

type Answer = () => Promise<Response>;

const OUTAGES: [string, Answer][] = [
  [
    'the request fails',
    async () => {
      throw new TypeError('fetch failed');
    },
  ],
  ['the server answers 500', async () => new Response('oops', { status: 500 })],
];

/**
 * A key source fed by an in-process key-set endpoint and a clock that only moves when told to.
 * The endpoint serves what was last published, unless told to answer otherwise.
 */
function setup(...published: SigningKey[]) {
  let clock = 0;
  let keys: readonly SigningKey[] = published;
  let answer: Answer | null = null;
  const calls: { url: string; init: RequestInit }[] = [];
  const source = new JwksKeySource(JWKS_URL, {
    fetch: async (url, init) => {
      calls.push({ url, init });
      return answer ? answer() : keySetOf(keys);
    },
    clock: { now: () => new Date(clock) },
  });
  const verifier = new JoseTokenVerifier({
    key: source.getKey,
    algorithm: 'EdDSA',
    issuer: ISSUER,
    audience: ISSUER,
    clock: { now: () => NOW },
  });
  return {
    source,
    verifier,
    calls,
    publish: (...next: SigningKey[]) => {
      keys = next;
      answer = null;
    },
    answerWith: (next: Answer) => {
      answer = next;
    },
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

async function expectUnavailable(verification: Promise<unknown>): Promise<void> {
  await expect(verification).rejects.toBeInstanceOf(DependencyUnavailableError);
  await expect(verification).rejects.toMatchObject({ dependency: 'key-set' });
}

async function expectRefused(verification: Promise<unknown>): Promise<void> {
  await expect(verification).rejects.toBeInstanceOf(InvalidTokenError);
}

/** Random-looking kids from a fixed seed, so a failing burst replays identically. */
function forgedKids(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `forged-${createHash('sha256').update(`kid-${i}`).digest('base64url').slice(0, 16)}`,
  );
}

describe('JwksKeySource caching', () => {
  it('fetches the key set once for many verifications while it is fresh', async () => {
    const key = await aSigningKey('key-1');
    const { source, verifier, calls, advance } = setup(key);

    for (let i = 0; i < 60; i++) {
      await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
      advance(Math.floor((MAX_AGE_MS - 1) / 60));
    }

    expect(source.fetches).toBe(1);
    expect(calls.map((call) => call.url)).toEqual([JWKS_URL.href]);
  });

  it('shares one fetch between concurrent first requests', async () => {
    const key = await aSigningKey('key-1');
    const { source, verifier, calls, answerWith } = setup(key);
    const { promise: opened, open } = aGate<void>();
    answerWith(async () => {
      await opened;
      return keySetOf([key]);
    });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => tokenSignedWith(key)));

    const verifications = Promise.all(tokens.map((token) => userOf(verifier.verify(token))));
    await settle();
    open();

    await expect(verifications).resolves.toEqual(tokens.map(() => ALICE));
    expect(source.fetches).toBe(1);
    expect(calls).toHaveLength(1);
  });
});

describe('JwksKeySource against tokens naming unknown keys', () => {
  it('refuses a burst of 300 forged kids with at most one refetch', async () => {
    const key = await aSigningKey('key-1');
    const attackers = await Promise.all([1, 2, 3].map((i) => aSigningKey(`attacker-${i}`)));
    const { source, verifier, calls, advance } = setup(key);
    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
    const forged = await Promise.all(
      forgedKids(300).map((kid, i) => tokenSignedWith(attackers[i % attackers.length]!, kid)),
    );
    advance(COOLDOWN_MS);

    // Ten waves of 30 concurrent tokens, a second apart: all within one cooldown.
    for (let wave = 0; wave < 10; wave++) {
      const tokens = forged.slice(wave * 30, wave * 30 + 30);
      await Promise.all(tokens.map((token) => expectRefused(verifier.verify(token))));
      advance(1_000);
    }

    expect(source.fetches).toBeGreaterThanOrEqual(1);
    expect(source.fetches).toBeLessThanOrEqual(2);
    expect(calls.length).toBe(source.fetches);
    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
  });

  it('picks up a rotated key only once the cooldown since the last fetch has passed', async () => {
    const oldKey = await aSigningKey('key-old');
    const newKey = await aSigningKey('key-new');
    const { source, verifier, publish, advance } = setup(oldKey);
    await expect(userOf(verifier.verify(await tokenSignedWith(oldKey)))).resolves.toEqual(ALICE);
    publish(oldKey, newKey);
    const rotated = await tokenSignedWith(newKey);

    advance(10_000);
    await expectRefused(verifier.verify(rotated));
    advance(COOLDOWN_MS - 10_000 - 1);
    await expectRefused(verifier.verify(rotated));
    expect(source.fetches).toBe(1);
    await expect(userOf(verifier.verify(await tokenSignedWith(oldKey)))).resolves.toEqual(ALICE);

    advance(1);
    await expect(userOf(verifier.verify(rotated))).resolves.toEqual(ALICE);
    expect(source.fetches).toBe(2);
    await expect(userOf(verifier.verify(await tokenSignedWith(oldKey)))).resolves.toEqual(ALICE);
    await expect(userOf(verifier.verify(rotated))).resolves.toEqual(ALICE);
    expect(source.fetches).toBe(2);
  });

  it('accepts a rotated key on first sight when the cached set is also stale', async () => {
    const oldKey = await aSigningKey('key-old');
    const newKey = await aSigningKey('key-new');
    const { source, verifier, publish, advance } = setup(oldKey);
    await expect(userOf(verifier.verify(await tokenSignedWith(oldKey)))).resolves.toEqual(ALICE);
    publish(oldKey, newKey);

    // Far more than the cooldown has passed since the last fetch: a refetch is allowed.
    advance(MAX_AGE_MS + 1);

    await expect(userOf(verifier.verify(await tokenSignedWith(newKey)))).resolves.toEqual(ALICE);
    expect(source.fetches).toBe(2);
  });

  it('lets concurrent tokens naming a newly published key share the one refetch', async () => {
    const oldKey = await aSigningKey('key-old');
    const newKey = await aSigningKey('key-new');
    const { source, verifier, answerWith, advance } = setup(oldKey);
    await expect(userOf(verifier.verify(await tokenSignedWith(oldKey)))).resolves.toEqual(ALICE);
    const { promise: opened, open } = aGate<void>();
    answerWith(async () => {
      await opened;
      return keySetOf([oldKey, newKey]);
    });
    advance(COOLDOWN_MS);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => tokenSignedWith(newKey)));

    const verifications = Promise.allSettled(tokens.map((token) => userOf(verifier.verify(token))));
    await settle();
    open();

    expect(await verifications).toEqual(tokens.map(() => ({ status: 'fulfilled', value: ALICE })));
    expect(source.fetches).toBe(2);
  });
});

describe('JwksKeySource when the cached set grows old', () => {
  it.each(OUTAGES)('keeps serving a warm cache when %s', async (_, outage) => {
    const key = await aSigningKey('key-1');
    const { source, verifier, answerWith, advance } = setup(key);
    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
    answerWith(outage);
    advance(MAX_AGE_MS + 1);

    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
    await settle();
    expect(source.fetches).toBe(2);
    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);

    // The next background refresh, a cooldown later, fails the same way, silently.
    advance(COOLDOWN_MS);
    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
    await settle();
    expect(source.fetches).toBe(3);
    await expect(userOf(verifier.verify(await tokenSignedWith(key)))).resolves.toEqual(ALICE);
  });

  it('refreshes a stale set in the background, so a withdrawn key stops verifying', async () => {
    const kept = await aSigningKey('key-kept');
    const withdrawn = await aSigningKey('key-withdrawn');
    const { source, verifier, publish, advance } = setup(kept, withdrawn);
    await expect(userOf(verifier.verify(await tokenSignedWith(withdrawn)))).resolves.toEqual(ALICE);
    publish(kept);

    advance(MAX_AGE_MS - 1);
    await expect(userOf(verifier.verify(await tokenSignedWith(withdrawn)))).resolves.toEqual(ALICE);
    expect(source.fetches).toBe(1);

    advance(2);
    // The stale set still answers this request while the refresh runs…
    await expect(userOf(verifier.verify(await tokenSignedWith(withdrawn)))).resolves.toEqual(ALICE);
    await settle();

    // …and once it has landed, the withdrawn key is gone.
    expect(source.fetches).toBe(2);
    await expectRefused(verifier.verify(await tokenSignedWith(withdrawn)));
    await expect(userOf(verifier.verify(await tokenSignedWith(kept)))).resolves.toEqual(ALICE);
  });
});

describe('JwksKeySource with nothing cached', () => {
  it.each(OUTAGES)(
    'answers DependencyUnavailableError, fails fast, then heals when %s',
    async (_, outage) => {
      const key = await aSigningKey('key-1');
      const { source, verifier, answerWith, publish, advance } = setup(key);
      const token = await tokenSignedWith(key);
      answerWith(outage);

      await expectUnavailable(verifier.verify(token));
      expect(source.fetches).toBe(1);

      advance(RETRY_AFTER_FAILURE_MS - 1);
      await expectUnavailable(verifier.verify(token));
      publish(key);
      await expectUnavailable(verifier.verify(token));
      expect(source.fetches).toBe(1);

      advance(1);
      await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
      expect(source.fetches).toBe(2);
    },
  );

  it('shares one failed fetch between concurrent first requests', async () => {
    const key = await aSigningKey('key-1');
    const { source, verifier, answerWith } = setup(key);
    answerWith(async () => new Response('oops', { status: 503 }));
    const tokens = await Promise.all(Array.from({ length: 20 }, () => tokenSignedWith(key)));

    await Promise.all(tokens.map((token) => expectUnavailable(verifier.verify(token))));

    expect(source.fetches).toBe(1);
  });

  it('fails fast for a second after a slow failure, counted from the failure', async () => {
    const key = await aSigningKey('key-1');
    const { source, verifier, answerWith, advance } = setup(key);
    answerWith(async () => {
      advance(2_000); // the issuer takes two seconds to fail
      throw new TypeError('fetch failed');
    });
    const token = await tokenSignedWith(key);

    await expectUnavailable(verifier.verify(token));
    await expectUnavailable(verifier.verify(token));

    expect(source.fetches).toBe(1);
  });

  it.each([
    ['JSON that is not a key set', '{"hello":1}'],
    ['a key list that is not an array', '{"keys":"none"}'],
    ['JSON null', 'null'],
    ['an HTML page', '<!doctype html><html><body>Sign in</body></html>'],
  ])('answers DependencyUnavailableError when a 200 carries %s', async (_, body) => {
    const key = await aSigningKey('key-1');
    const { verifier, answerWith } = setup(key);
    answerWith(async () => new Response(body, { status: 200 }));

    await expectUnavailable(verifier.verify(await tokenSignedWith(key)));
  });

  // Each answer carries the real key set, so only its status can make it unusable.
  it.each([
    ['404', 404, {}],
    ['302 to another key set', 302, { location: 'http://evil.test/jwks' }],
  ])('answers DependencyUnavailableError for a %s', async (_, status, headers) => {
    const key = await aSigningKey('key-1');
    const { verifier, calls, answerWith } = setup(key);
    const body = JSON.stringify({ keys: [key.publicJwk] });
    answerWith(async () => new Response(body, { status, headers }));

    await expectUnavailable(verifier.verify(await tokenSignedWith(key)));

    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(JWKS_URL.href);
    expect(calls[0]?.init.redirect).toBe('manual');
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal);
  });
});

describe('JwksKeySource against a key-set endpoint that never answers', () => {
  const sockets = new Set<Socket>();
  let requests = 0;
  // Accepts every request and never answers it.
  const server = createServer(() => {
    requests += 1;
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  it('gives up by itself with its default timeout', async () => {
    const { port } = server.address() as AddressInfo;
    const key = await aSigningKey('key-1');
    const source = new JwksKeySource(new URL(`http://127.0.0.1:${port}/api/auth/jwks`));
    const verifier = new JoseTokenVerifier({
      key: source.getKey,
      algorithm: 'EdDSA',
      issuer: ISSUER,
      audience: ISSUER,
      clock: { now: () => NOW },
    });

    await expectUnavailable(verifier.verify(await tokenSignedWith(key)));

    expect(requests).toBe(1);
  }, 5_000);
});

describe('what the key source and the verifier report (metrics)', () => {
  it('each fetch of the key set, ok or failed, and each token accepted, by memo or check', async () => {
    const key = await aSigningKey('key-1');
    const fetches: string[] = [];
    const accepted: string[] = [];
    let clock = 0;
    let fail = true;
    const source = new JwksKeySource(JWKS_URL, {
      fetch: async () => (fail ? new Response('oops', { status: 503 }) : keySetOf([key])),
      clock: { now: () => new Date(clock) },
      onFetch: (result) => fetches.push(result),
    });
    const verifier = new JoseTokenVerifier({
      key: source.getKey,
      algorithm: 'EdDSA',
      issuer: ISSUER,
      audience: ISSUER,
      clock: { now: () => NOW },
      onAccepted: (result) => accepted.push(result),
    });
    const token = await tokenSignedWith(key);

    await expectUnavailable(verifier.verify(token));
    fail = false;
    clock += RETRY_AFTER_FAILURE_MS;
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    await expect(userOf(verifier.verify(token))).resolves.toEqual(ALICE);
    await expectRefused(verifier.verify(`${token}x`));

    expect(fetches).toEqual(['failed', 'ok']);
    expect(accepted).toEqual(['verified', 'memo_hit']);
  });
});
