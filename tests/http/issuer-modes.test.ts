import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import type { JwtAlgorithm } from '../../src/infrastructure/config/env.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL, TEST_SECRET } from '../support/test-service.js';

const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
    alg: string;
    kid?: string;
  };

const ALGORITHMS: JwtAlgorithm[] = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256', 'HS256'];

describe.each(ALGORITHMS)('AUTH_JWT_ALG=%s with the embedded Better Auth', (algorithm) => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;

  beforeAll(async () => {
    db = await createPostgresDatabase(`alg_${algorithm}`);
    service = await startTestService({ database: db.config, tokens: { algorithm } });
    api = new Api(service.url);
    user = await signUp(api, algorithm);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it(`issues ${algorithm} tokens and accepts them`, async () => {
    expect(headerOf(user.token).alg).toBe(algorithm);
    const res = await api.request('GET', '/api/me', { token: user.token });
    expect(res.status).toBe(200);
  });

  it('refuses a token of any other algorithm, even one signed with a real secret', async () => {
    const claims = {
      sub: user.id,
      user_id: user.id,
      iss: TEST_AUTH_URL,
      aud: TEST_AUTH_URL,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const other =
      algorithm === 'HS256'
        ? await new SignJWT(claims)
            .setProtectedHeader({ alg: 'EdDSA' })
            .sign((await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey)
        : await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode(TEST_SECRET));
    const res = await api.request('GET', '/api/me', { token: other });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('algorithm');
  });

  /** Signs `claims` as the embedded Better Auth signs its tokens: its key, or the secret. */
  async function signAsTheIssuer(claims: Record<string, unknown>): Promise<string> {
    if (algorithm === 'HS256') {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(TEST_SECRET));
    }
    const betterAuth = service.services.betterAuth;
    if (!betterAuth) throw new Error('the test service runs Better Auth');
    return (await betterAuth.auth.api.signJWT({ body: { payload: claims } })).token;
  }

  const claimsOfUser = (overrides: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const { sid } = JSON.parse(Buffer.from(user.token.split('.')[1] ?? '', 'base64url').toString());
    return {
      sub: user.id,
      user_id: user.id,
      sid,
      iss: TEST_AUTH_URL,
      aud: TEST_AUTH_URL,
      iat: now,
      exp: now + 600,
      ...overrides,
    };
  };

  it('refuses a token of the real issuer that lives longer than JWT_MAX_AGE_SECONDS', async () => {
    const iat = Math.floor(Date.now() / 1000);
    expect(
      (await api.request('GET', '/api/me', { token: await signAsTheIssuer(claimsOfUser({})) }))
        .status,
    ).toBe(200);
    const token = await signAsTheIssuer(claimsOfUser({ iat, exp: iat + 30 * 86_400 }));
    const res = await api.request('GET', '/api/me', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('lives longer than this API accepts');
  });

  it(
    algorithm === 'HS256'
      ? 'accepts a token without sid: a shared secret may sign tokens elsewhere'
      : 'refuses a token without sid: only this service signs, always from a session',
    async () => {
      const token = await signAsTheIssuer(claimsOfUser({ sid: undefined }));
      const res = await api.request('GET', '/api/me', { token });
      if (algorithm === 'HS256') expect(res.status).toBe(200);
      else {
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('lacks the sid claim');
      }
    },
  );

  it(
    algorithm === 'HS256'
      ? 'publishes no key set: the secret is shared, not public'
      : 'publishes the public key with its kid',
    async () => {
      const res = await api.request<{ keys: { kid: string; alg: string; d?: string }[] }>(
        'GET',
        '/api/auth/jwks',
      );
      if (algorithm === 'HS256') {
        expect(res.status).toBe(404);
        return;
      }
      expect(res.status).toBe(200);
      expect(res.body.keys).toEqual([
        expect.objectContaining({ kid: headerOf(user.token).kid, alg: algorithm }),
      ]);
      expect(res.body.keys[0]).not.toHaveProperty('d');
    },
  );
});
