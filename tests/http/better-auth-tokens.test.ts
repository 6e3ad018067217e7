import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

const databases: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createPostgresDatabase('http_tokens')],
  ['SQLite', async () => createSqliteDatabase()],
];

describe.each(databases)('the tokens the embedded Better Auth issues, on %s', (_name, create) => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let ada: SignedInUser;

  beforeAll(async () => {
    db = await create();
    service = await startTestService({ database: db.config });
    api = new Api(service.url);
    ada = await signUp(api, 'Ada');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('issues a JWT whose claims name the user, for 24 hours, from this issuer', async () => {
    const [, payload] = ada.token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      sub: ada.id,
      user_id: ada.id,
      email: ada.email,
      name: 'Ada',
      iss: TEST_AUTH_URL,
      aud: TEST_AUTH_URL,
    });
    expect(claims.exp - claims.iat).toBe(24 * 60 * 60);
    const header = JSON.parse(Buffer.from(ada.token.split('.')[0] ?? '', 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
  });

  it('names the session in the tokens of /api/auth/token and get-session, which the API takes', async () => {
    const session = await fetch(`${service.url}/api/auth/get-session`, {
      headers: { Cookie: ada.cookie },
    });
    const sessionId = ((await session.json()) as { session: { id: string } }).session.id;
    const fromGetSession = session.headers.get('set-auth-jwt') ?? '';
    for (const token of [ada.token, fromGetSession]) {
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
      expect(claims.sid).toBe(sessionId);
      expect((await api.request('GET', '/api/me', { token })).status).toBe(200);
    }
  });

  it('publishes the public signing key at /api/auth/jwks', async () => {
    const res = await api.request<{ keys: Record<string, string>[] }>('GET', '/api/auth/jwks');
    expect(res.status).toBe(200);
    expect(res.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(res.body.keys[0]).not.toHaveProperty('d');
  });
});
