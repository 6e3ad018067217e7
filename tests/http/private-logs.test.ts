import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { createLogger } from '../../src/infrastructure/observability/logger.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

/** A failing write is logged by code, constraint and table, never with the user's text. */
describe('nothing private in the logs', () => {
  const lines: string[] = [];
  let db: TestDatabase;
  let admin: pg.Client;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;

  beforeAll(async () => {
    db = await createPostgresDatabase('private_logs');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    service = await startTestService({
      database: db.config,
      overrides: { logger: createLogger('info', sink) },
    });
    api = new Api(service.url);
    user = await signUp(api, 'Private');
    admin = new pg.Client({ connectionString: db.config.url });
    await admin.connect();
    // The database refuses what the service lets through, so a statement fails for real.
    await admin.query(
      `alter table "task" add constraint "task_no_plans" check ("title" not like '%plan%')`,
    );
    await admin.query(
      `alter table "user" add constraint "user_no_plans" check ("name" not like '%plan%')`,
    );
  });

  afterAll(async () => {
    await admin?.end();
    await service?.close();
    await db?.drop();
  });

  it('logs a failed task write by code, constraint and table only', async () => {
    const res = await api.request<{ requestId: string }>('POST', `/api/${user.id}/tasks`, {
      token: user.token,
      json: { title: 'My secret plan', description: 'Ada’s private notes' },
    });
    expect(res.status).toBe(500);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const failure = logged.find((l) => l.requestId === res.body.requestId && l.level === 50);
    expect(failure?.err).toMatchObject({
      code: '23514',
      constraint: 'task_no_plans',
      table: 'task',
    });
    const all = lines.join('\n');
    expect(all).not.toContain('secret plan');
    expect(all).not.toContain('private notes');
    expect(JSON.stringify(failure)).not.toContain(user.id);
  });

  it('sends Better Auth’s own failures through the JSON logger, not raw stderr', async () => {
    const stderr = jest.spyOn(process.stderr, 'write');
    const consoleError = jest.spyOn(console, 'error');
    try {
      const signUp = await fetch(`${service.url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({
          email: 'planner@example.com',
          password: 'correct-horse-battery-staple',
          name: 'Grand plan maker',
        }),
      });
      expect(signUp.status).toBeGreaterThanOrEqual(400);
      // A failure Better Auth does not turn into an answer: its signing keys are gone.
      await admin.query('alter table "jwks" rename to "jwks_away"');
      const token = await fetch(`${service.url}/api/auth/token`, {
        headers: { Cookie: user.cookie },
      });
      await admin.query('alter table "jwks_away" rename to "jwks"');
      expect(token.status).toBe(500);
      expect(consoleError).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
      const failure = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((l) => l.msg === 'auth handler failed');
      expect(failure?.err).toMatchObject({ code: '42P01' });
      expect(lines.join('\n')).not.toContain('Grand plan maker');
    } finally {
      stderr.mockRestore();
      consoleError.mockRestore();
    }
  });

  it('logs a request by its route, never the user id, task id or a credential in the path', async () => {
    const created = await api.request<{ id: string; requestId: string }>(
      'POST',
      `/api/${user.id}/tasks`,
      { token: user.token, json: { title: 'Logged by route' } },
    );
    expect(created.status).toBe(201);
    await api.request('GET', `/api/${user.id}/tasks/${created.body.id}`, { token: user.token });
    await fetch(`${service.url}/api/auth/reset-password/secret-reset-token?callbackURL=x`);
    await fetch(`${service.url}/${'x'.repeat(300)}`);
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => typeof l.path === 'string')
      .map((l) => l.path as string);
    expect(requests).toEqual(
      expect.arrayContaining([
        '/api/:userId/tasks',
        '/api/:userId/tasks/:taskId',
        '/api/auth/reset-password',
      ]),
    );
    const all = lines.join('\n');
    expect(all).not.toContain(created.body.id);
    expect(all).not.toContain('secret-reset-token');
    expect(Math.max(...requests.map((p) => p.length))).toBeLessThanOrEqual(100);
  });
});
