import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pg from 'pg';
import { BETTER_AUTH_TABLES } from '../../src/infrastructure/config/database-config.js';
import type { RunningServer } from '../../src/server.js';
import { Api } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

const ISSUER = 'https://app.example.com';
const AUDIENCE = 'https://api.example.com';

/** A stand-in for the frontend's /api/auth/jwks that counts its requests and can go down. */
class JwksEndpoint {
  up = false;
  requests = 0;
  jwks: unknown = { keys: [] };
  private readonly server: Server = createServer((req, res) => {
    this.requests += 1;
    if (!this.up) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(this.jwks));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/auth/jwks`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('an external issuer’s key set over HTTP', () => {
  const endpoint = new JwksEndpoint();
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let privateKey: CryptoKey;
  let token: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateKey = pair.privateKey;
    endpoint.jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] };
    const jwksUrl = await endpoint.start();
    db = await createPostgresDatabase('external_jwks');
    service = await startTestService({
      database: db.config,
      tokens: { jwksUrl, issuer: ISSUER, audience: AUDIENCE },
    });
    api = new Api(service.url);
    token = await new SignJWT({ user_id: 'frontend-user', email: 'f@example.com', name: 'F' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject('frontend-user')
      .setIssuer(ISSUER)
      .setAudience([AUDIENCE, 'https://other.example.com'])
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  });

  afterAll(async () => {
    await service?.close();
    await endpoint.stop();
    await db?.drop();
  });

  it('answers 503, not 401, while a cold cache cannot reach the issuer, then heals', async () => {
    const res = await api.request<{ detail: string }>('GET', '/api/frontend-user/tasks', { token });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.detail).toMatch(/signing keys/);

    endpoint.up = true;
    await eventually(async () => {
      expect((await api.request('GET', '/api/frontend-user/tasks', { token })).status).toBe(200);
    });
  });

  it('keeps serving from the warm cache while the issuer is down', async () => {
    endpoint.up = false;
    const before = endpoint.requests;
    for (let i = 0; i < 5; i++) {
      expect((await api.request('GET', '/api/me', { token })).status).toBe(200);
    }
    expect(endpoint.requests).toBe(before);
    endpoint.up = true;
  });

  it('fetches at most once for a burst of tokens naming unknown keys', async () => {
    const before = endpoint.requests;
    const forged = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'EdDSA', kid: `random-${i}` })
          .setSubject('frontend-user')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey),
      ),
    );
    const statuses = await Promise.all(
      forged.map(async (t) => (await api.request('GET', '/api/me', { token: t })).status),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(endpoint.requests - before).toBeLessThanOrEqual(1);
    expect((await api.request('GET', '/api/me', { token })).status).toBe(200);
  });
});

describe('an API that only verifies (AUTH_EMBEDDED=false)', () => {
  const endpoint = new JwksEndpoint();
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let privateKey: CryptoKey;
  let token: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateKey = pair.privateKey;
    endpoint.jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] };
    endpoint.up = true;
    const jwksUrl = await endpoint.start();
    db = await createPostgresDatabase('verify_only');
    service = await startTestService({
      database: db.config,
      embeddedAuth: false,
      tokens: { jwksUrl, issuer: ISSUER, audience: AUDIENCE },
    });
    api = new Api(service.url);
    token = await new SignJWT({ user_id: 'frontend-user' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject('frontend-user')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(pair.privateKey);
  });

  afterAll(async () => {
    await service?.close();
    await endpoint.stop();
    await db?.drop();
  });

  it('accepts the issuer’s tokens without sid, but none that lives longer than 24 hours', async () => {
    expect((await api.request('GET', '/api/me', { token })).status).toBe(200);
    const longLived = await new SignJWT({ user_id: 'frontend-user' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setSubject('frontend-user')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('25h')
      .sign(privateKey);
    const res = await api.request('GET', '/api/me', { token: longLived });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      'error_description="The token lives longer than this API accepts (86400 s from iat to exp)"',
    );
  });

  it('serves the tasks of the issuer’s users', async () => {
    const created = await api.request('POST', '/api/frontend-user/tasks', {
      token,
      json: { title: 'Made where the frontend signs users in' },
    });
    expect(created.status).toBe(201);
    const list = await api.request<{ items: unknown[] }>('GET', '/api/frontend-user/tasks', {
      token,
    });
    expect(list.body.items).toHaveLength(1);
  });

  it.each([
    ['POST', '/api/auth/sign-up/email'],
    ['POST', '/api/auth/sign-in/email'],
    ['GET', '/api/auth/token'],
    ['GET', '/api/auth/jwks'],
  ])('has no Better Auth route: %s %s is 404', async (method, path) => {
    const res = await api.request<{ status: number }>(method, path, {
      json: method === 'POST' ? { email: 'a@example.com', password: 'x'.repeat(12) } : undefined,
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('creates no Better Auth table', async () => {
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const client = new pg.Client({ connectionString: db.config.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        "select table_name as name from information_schema.tables where table_schema = 'public'",
      );
      const names = rows.map((row) => row.name);
      expect(names).toContain('task');
      for (const table of BETTER_AUTH_TABLES) expect(names).not.toContain(table);
    } finally {
      await client.end();
    }
  });
});
