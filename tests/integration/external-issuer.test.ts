import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Api, signUp } from '../support/api-client.js';
import { runNode, startApiProcess, type RunningProcess } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/waiting.js';

const API_URL = 'https://tasks.test'; // production requires https
const SHARED_SECRET = 'shared-secret-of-the-nextjs-app-and-the-api';

/** Signs a user up at the issuer, as the Next.js frontend would, and fetches their JWT. */
const signUpAtIssuer = (issuer: string) => signUp(new Api(issuer), 'Frontend User', issuer);

/**
 * The seed's architecture: Better Auth runs in the frontend (examples/issuer-server.ts stands in
 * for the Next.js app), and the API, another process, only verifies.
 */
describe.each([
  ['JWKS (EdDSA), the API verifying only (AUTH_EMBEDDED=false)', 'jwks', false],
  ['HS256 shared secret, the embedded Better Auth left on', 'hs256', true],
])('an external Better Auth issuer, %s', (_name, mode, embedded) => {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-issuer-'));
  let db: TestDatabase;
  let issuer: RunningProcess;
  let issuerUrl: string;
  let api: RunningProcess;
  let client: Api;

  beforeAll(async () => {
    db = await createPostgresDatabase(`issuer_${mode}`);
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    issuer = runNode('dist-examples/issuer-server.js', {
      PORT: '0',
      ISSUER_MODE: mode,
      ISSUER_DATABASE: join(dir, 'issuer.sqlite'),
      TASK_API_URL: API_URL,
      BETTER_AUTH_SECRET: SHARED_SECRET,
    });
    issuerUrl = await issuer.waitFor(/Issuer listening on (\S+)/);
    // As README describes each: a key set and no secret at all; or the shared secret.
    const verification: Record<string, string> =
      mode === 'jwks'
        ? { AUTH_JWKS_URL: `${issuerUrl}/api/auth/jwks`, AUTH_EMBEDDED: 'false' }
        : { AUTH_JWT_ALG: 'HS256', BETTER_AUTH_SECRET: SHARED_SECRET };
    const started = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: API_URL,
      AUTH_ISSUER: issuerUrl,
      ...verification,
    });
    api = started.process;
    client = new Api(started.url);
  });

  afterAll(async () => {
    await api?.stop();
    await issuer?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the issuer’s tokens: a user the API has never seen owns their own tasks', async () => {
    const user = await signUpAtIssuer(issuerUrl);
    const me = await client.request('GET', '/api/me', { token: user.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: user.id, email: expect.any(String), name: 'Frontend User' });

    const tasks = `/api/${user.id}/tasks`;
    const created = await client.request('POST', tasks, {
      token: user.token,
      json: { title: 'Made with a token from the frontend' },
    });
    expect(created.status).toBe(201);
    const list = await client.request<{ items: { title: string }[] }>('GET', tasks, {
      token: user.token,
    });
    expect(list.body.items.map((t) => t.title)).toEqual(['Made with a token from the frontend']);
  });

  it('keeps users apart across the issuer’s accounts', async () => {
    const alice = await signUpAtIssuer(issuerUrl);
    const bob = await signUpAtIssuer(issuerUrl);
    const res = await client.request('GET', `/api/${alice.id}/tasks`, { token: bob.token });
    expect(res.status).toBe(404);
  });

  if (embedded) {
    it('refuses a token of the API’s own embedded Better Auth (another issuer)', async () => {
      const { token: local } = await signUp(client, 'Local', API_URL);
      const me = await client.request('GET', '/api/me', { token: local });
      expect(me.status).toBe(401);
      expect(me.headers.get('www-authenticate')).toContain('invalid_token');
    });
  } else {
    it('has no Better Auth of its own: signing up on the API is 404', async () => {
      await expect(signUp(client, 'Local', API_URL)).rejects.toThrow(/sign-up failed: 404/);
    });
  }

  if (mode === 'hs256') {
    it('signs with HS256 and publishes no key set', async () => {
      const user = await signUpAtIssuer(issuerUrl);
      const header = JSON.parse(
        Buffer.from(user.token.split('.')[0] ?? '', 'base64url').toString(),
      );
      expect(header.alg).toBe('HS256');
      expect((await fetch(`${issuerUrl}/api/auth/jwks`)).status).toBe(404);
    });
  }
});

/**
 * The original design on one database (both on Neon): the issuer writes revocations with the
 * example's helper (examples/nextjs/lib/task-api-revocation.ts), the API listens for them.
 */
describe('an external issuer sharing the PostgreSQL database with the API', () => {
  let db: TestDatabase;
  let issuer: RunningProcess;
  let issuerUrl: string;
  let api: RunningProcess;
  let client: Api;

  beforeAll(async () => {
    db = await createPostgresDatabase('issuer_shared');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const port = await freePort();
    issuerUrl = `http://127.0.0.1:${port}`;
    // The API first: its migrations create the table the issuer writes revocations to.
    const started = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: API_URL,
      AUTH_EMBEDDED: 'false',
      AUTH_ISSUER: issuerUrl,
      AUTH_JWKS_URL: `${issuerUrl}/api/auth/jwks`,
    });
    api = started.process;
    client = new Api(started.url);
    issuer = runNode('dist-examples/issuer-server.js', {
      PORT: String(port),
      ISSUER_DATABASE_URL: db.config.url,
      TASK_API_URL: API_URL,
      BETTER_AUTH_SECRET: SHARED_SECRET,
    });
    await issuer.waitFor(/Issuer listening on (\S+)/);
  });

  afterAll(async () => {
    await api?.stop();
    await issuer?.stop();
    await db?.drop();
  });

  it('signs no device out on a refused password change, and every earlier token out on one that succeeds', async () => {
    const user = await signUpAtIssuer(issuerUrl);
    const tasks = `/api/${user.id}/tasks`;
    const changePassword = (body: unknown) =>
      fetch(`${issuerUrl}/api/auth/change-password`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: issuerUrl, Cookie: user.cookie },
        body: JSON.stringify(body),
      });
    const status = async () => (await client.request('GET', tasks, { token: user.token })).status;

    expect(
      (await changePassword({ currentPassword: 'wrong-password', newPassword: 'a-new-password' }))
        .status,
    ).toBe(400);
    expect(
      (
        await changePassword({
          currentPassword: 'correct-horse-battery-staple',
          newPassword: 'short',
        })
      ).status,
    ).toBe(400);
    // Nothing was written for the API to learn: no cut-off row, and the token works.
    const cutOffs = async () => {
      const admin = new pg.Client({
        connectionString: db.config.kind === 'postgres' ? db.config.url : '',
      });
      await admin.connect();
      try {
        const { rows } = await admin.query(
          `select 1 from "token_revocation" where "kind" = 'user' and "subject" = $1`,
          [user.id],
        );
        return rows.length;
      } finally {
        await admin.end();
      }
    };
    expect(await cutOffs()).toBe(0);
    expect(await status()).toBe(200);

    const changed = await changePassword({
      currentPassword: 'correct-horse-battery-staple',
      newPassword: 'a-new-password',
    });
    expect(changed.status).toBe(200);
    expect(await cutOffs()).toBe(1);
    await eventually(async () => expect(await status()).toBe(401), 2_000);
  });

  it('refuses, within 2 s, a token whose session signed out at the issuer', async () => {
    const user = await signUpAtIssuer(issuerUrl);
    const tasks = `/api/${user.id}/tasks`;
    expect((await client.request('GET', tasks, { token: user.token })).status).toBe(200);

    const signOut = await fetch(`${issuerUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: issuerUrl, Cookie: user.cookie },
      body: '{}',
    });
    expect(signOut.status).toBe(200);
    await eventually(
      async () =>
        expect((await client.request('GET', tasks, { token: user.token })).status).toBe(401),
      2_000,
    );
  });
});
