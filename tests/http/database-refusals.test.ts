import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import {
  createPostgresDatabase,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

/**
 * PostgreSQL itself refusing new connections, produced for real: each is an outage (503 with
 * Retry-After, /ready 503) whatever its SQLSTATE, and the service heals once it is lifted.
 */
describe('PostgreSQL refusing connections', () => {
  const role = `app_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let admin: pg.Client;
  /** On another database: a database cannot close itself to connections. */
  let server: pg.Client;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;

  beforeAll(async () => {
    db = await createPostgresDatabase('http_refusals');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    admin = new pg.Client({ connectionString: db.config.url });
    await admin.connect();
    server = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await server.connect();
    // The service logs in as a role of its own, as in production: superusers skip some limits.
    await admin.query(`create role "${role}" login`);
    await admin.query(`grant all on schema public to "${role}"`);
    const url = new URL(db.config.url);
    url.username = role;
    service = await startTestService({ database: { kind: 'postgres', url: url.toString() } });
    api = new Api(service.url);
    user = await signUp(api, 'Refused');
    // The key set is now cached: a refusal below reaches the task routes as a database outage.
    expect((await api.request('GET', `/api/${user.id}/tasks`, { token: user.token })).status).toBe(
      200,
    );
  });

  afterAll(async () => {
    await service?.close();
    await admin?.end();
    await db?.drop();
    await server?.query(`drop role if exists "${role}"`);
    await server?.end();
  });

  /** Drops the service's open connections, so its next request must open a new one. */
  async function dropServiceConnections(): Promise<void> {
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [
      role,
    ]);
  }

  async function expectOutage(): Promise<void> {
    const tasks = `/api/${user.id}/tasks`;
    for (const [method, json] of [
      ['GET', undefined],
      ['POST', { title: 'During' }],
    ] as const) {
      const res = await api.request<{ detail: string }>(method, tasks, { token: user.token, json });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.detail).toMatch(/database/);
    }
    expect((await api.request('GET', '/ready')).status).toBe(503);
  }

  async function expectHealed(): Promise<void> {
    await eventually(async () => {
      expect(
        (await api.request('GET', `/api/${user.id}/tasks`, { token: user.token })).status,
      ).toBe(200);
      expect((await api.request('GET', '/ready')).status).toBe(200);
    });
  }

  it.each([
    [
      '55000: the database is not accepting connections',
      (name: string) => `alter database "${name}" allow_connections false`,
      (name: string) => `alter database "${name}" allow_connections true`,
    ],
    [
      '53300: too many connections for the role',
      () => `alter role "${role}" connection limit 0`,
      () => `alter role "${role}" connection limit -1`,
    ],
    [
      '28000: the role may no longer log in (as after a credential rotation)',
      () => `alter role "${role}" nologin`,
      () => `alter role "${role}" login`,
    ],
  ])('%s is a 503 outage, then heals', async (_name, refuse, lift) => {
    const database = new URL((db.config as { url: string }).url).pathname.slice(1);
    await server.query(refuse(database));
    try {
      await dropServiceConnections();
      await expectOutage();
    } finally {
      await server.query(lift(database));
    }
    await expectHealed();
  });

  it('57P01: a connection terminated by an administrator mid-use is an outage, not a 500', async () => {
    const tasks = `/api/${user.id}/tasks`;
    await Promise.all(
      Array.from({ length: 4 }, () => api.request('GET', tasks, { token: user.token })),
    );
    await dropServiceConnections();
    const after = await Promise.all(
      Array.from({ length: 4 }, () => api.request('GET', tasks, { token: user.token })),
    );
    for (const res of after) expect([200, 503]).toContain(res.status);
    await expectHealed();
  });
});
