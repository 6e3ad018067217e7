import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CompactEncrypt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { BetterAuthInstance } from '../../src/infrastructure/auth/better-auth.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('tokens the API must refuse (401 invalid_token)', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;
  let auth: BetterAuthInstance;
  let realKid: string;
  let sessionId: string;
  let publicJwk: Record<string, unknown>;

  /** Signs `payload` with the service's real Better Auth key: only the claims are wrong. */
  async function signWithRealKey(payload: JWTPayload): Promise<string> {
    const { token } = await auth.api.signJWT({ body: { payload } });
    return token;
  }

  /** The claims of a token of the user's real session, as Better Auth issues them. */
  function claims(overrides: JWTPayload = {}): JWTPayload {
    return {
      sub: user.id,
      user_id: user.id,
      email: user.email,
      name: user.name,
      sid: sessionId,
      iat: now(),
      exp: now() + 3600,
      iss: TEST_AUTH_URL,
      aud: TEST_AUTH_URL,
      ...overrides,
    };
  }

  async function expectRefused(token: string): Promise<string> {
    const res = await api.request('GET', `/api/${user.id}/tasks`, { token });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="api", error="invalid_token", error_description="/);
    expect(JSON.stringify(res.body)).not.toContain(token);
    return challenge;
  }

  beforeAll(async () => {
    db = await createPostgresDatabase('http_attacks');
    service = await startTestService({ database: db.config });
    api = new Api(service.url);
    user = await signUp(api, 'Target');
    sessionId = JSON.parse(Buffer.from(user.token.split('.')[1] ?? '', 'base64url').toString()).sid;
    const embedded = service.services.betterAuth;
    if (!embedded) throw new Error('the test service runs Better Auth');
    auth = embedded.auth;
    const jwks = await api.request<{ keys: Record<string, unknown>[] }>('GET', '/api/auth/jwks');
    publicJwk = jwks.body.keys[0] ?? {};
    realKid = String(publicJwk.kid);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('accepts the real token (the control case)', async () => {
    const res = await api.request('GET', `/api/${user.id}/tasks`, { token: user.token });
    expect(res.status).toBe(200);
    const minted = await signWithRealKey(claims());
    expect((await api.request('GET', '/api/me', { token: minted })).status).toBe(200);
  });

  it('refuses a token from another issuer, a trailing slash included', async () => {
    expect(
      await expectRefused(await signWithRealKey(claims({ iss: 'https://evil.example' }))),
    ).toContain('issuer');
    await expectRefused(await signWithRealKey(claims({ iss: `${TEST_AUTH_URL}/` })));
  });

  it('refuses a token meant for another audience', async () => {
    const token = await signWithRealKey(claims({ aud: 'https://other-api.example' }));
    expect(await expectRefused(token)).toContain('not meant for this API');
  });

  it('refuses a token signed with the real key that names no session (sid)', async () => {
    const challenge = await expectRefused(await signWithRealKey(claims({ sid: undefined })));
    expect(challenge).toContain('error_description="The token lacks the sid claim');
  });

  it('refuses a token signed with the real key that lives longer than 24 hours', async () => {
    const issued = now();
    for (const lifetime of [24 * 3600 + 60, 365 * 24 * 3600]) {
      const token = await signWithRealKey(claims({ iat: issued, exp: issued + lifetime }));
      expect(await expectRefused(token)).toContain(
        'error_description="The token lives longer than this API accepts (86400 s from iat to exp)"',
      );
    }
    // Issued two days ago, expiring in an hour: the same.
    await expectRefused(await signWithRealKey(claims({ iat: issued - 2 * 86_400 })));
    const day = await signWithRealKey(claims({ iat: issued, exp: issued + 24 * 3600 }));
    expect((await api.request('GET', '/api/me', { token: day })).status).toBe(200);
  });

  it('refuses a token whose user_id differs from its subject', async () => {
    await expectRefused(await signWithRealKey(claims({ user_id: 'someone-else' })));
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = user.token.split('.');
    const forged = `${header}.${b64(claims({ sub: 'another-user', user_id: 'another-user' }))}.${signature}`;
    expect(await expectRefused(forged)).toContain('signature');
  });

  it('refuses a stripped signature', async () => {
    const [header, payload] = user.token.split('.');
    await expectRefused(`${header}.${payload}.`);
  });

  it.each(['none', 'None', 'NONE'])('refuses alg "%s"', async (alg) => {
    const token = `${b64({ alg, typ: 'JWT' })}.${b64(claims())}.`;
    expect(await expectRefused(token)).toContain('algorithm');
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: realKid })
      .sign(secret);
    expect(await expectRefused(token)).toContain('algorithm');
  });

  it('refuses a token signed with an attacker key that claims the real kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid: realKid })
      .sign(privateKey);
    expect(await expectRefused(token)).toContain('signature');
  });

  it('refuses a token signed with an unknown key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const kid = `attacker-${(await exportJWK(publicKey)).x?.slice(0, 8)}`;
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .sign(privateKey);
    expect(await expectRefused(token)).toContain('key');
  });

  it('refuses a Better Auth session token sent as a bearer token', async () => {
    const sessionToken = decodeURIComponent(user.cookie.split('=')[1]?.split('.')[0] ?? '');
    await expectRefused(sessionToken);
  });

  it('refuses an encrypted token (JWE), even one carrying valid claims', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(new Uint8Array(32).fill(7));
    expect(jwe.split('.')).toHaveLength(5);
    await expectRefused(jwe);
  });

  it('stays responsive through a burst of forged tokens, and a valid token still works', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'EdDSA', kid: `forged-${i}` })
          .sign(privateKey),
      ),
    );
    const statuses = await Promise.all(
      forged.map(async (token) => (await api.request('GET', '/api/me', { token })).status),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((await api.request('GET', '/health')).status).toBe(200);
    expect((await api.request('GET', '/api/me', { token: user.token })).status).toBe(200);
  });
});
