import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

describe('the database going away while the service runs', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;
  let tasks: string;
  let before: { id: string; title: string };

  beforeAll(async () => {
    db = await createPostgresDatabase('http_outage');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const target = new URL(db.config.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    target.host = `127.0.0.1:${proxy.listeningPort}`;
    service = await startTestService({ database: { kind: 'postgres', url: target.toString() } });
    api = new Api(service.url);
    user = await signUp(api, 'Outage');
    tasks = `/api/${user.id}/tasks`;
    const created = await api.request<{ id: string; title: string }>('POST', tasks, {
      token: user.token,
      json: { title: 'Written before the outage' },
    });
    before = created.body;
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('answers 503 on task routes and /ready, keeps /health at 200, then heals', async () => {
    await proxy.cut();

    for (const [method, path, json] of [
      ['GET', tasks, undefined],
      ['POST', tasks, { title: 'Written during the outage' }],
      ['GET', `${tasks}/${before.id}`, undefined],
    ] as const) {
      const res = await api.request<{ status: number; detail: string }>(method, path, {
        token: user.token,
        json,
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.detail).toMatch(/database/);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONN|terminated|pg|knex/i);
    }
    expect((await api.request('GET', '/ready')).status).toBe(503);
    expect((await api.request('GET', '/health')).status).toBe(200);
    // Tokens are verified without the database: identity still works during the outage.
    expect((await api.request('GET', '/api/me', { token: user.token })).status).toBe(200);

    await proxy.restore();

    await eventually(async () => {
      expect((await api.request('GET', '/ready')).status).toBe(200);
    });
    await eventually(async () => {
      const list = await api.request<{ items: { id: string }[] }>('GET', tasks, {
        token: user.token,
      });
      expect(list.status).toBe(200);
      expect(list.body.items.map((t) => t.id)).toEqual([before.id]);
    });
    const after = await api.request('POST', tasks, {
      token: user.token,
      json: { title: 'Written after the outage' },
    });
    expect(after.status).toBe(201);
  });

  it('answers 503 on Better Auth’s routes too, not "no session", then heals', async () => {
    await proxy.cut();
    try {
      const token = await fetch(`${api.baseUrl}/api/auth/token`, {
        headers: { Cookie: user.cookie },
      });
      expect(token.status).toBe(503);
      expect(token.headers.get('retry-after')).toBe('5');
      const signIn = await fetch(`${api.baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({ email: user.email, password: 'correct-horse-battery-staple' }),
      });
      expect(signIn.status).toBe(503);
    } finally {
      await proxy.restore();
    }

    await eventually(async () => {
      const token = await fetch(`${api.baseUrl}/api/auth/token`, {
        headers: { Cookie: user.cookie },
      });
      expect(token.status).toBe(200);
    });
  });
});
