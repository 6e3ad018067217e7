import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_SECRET } from '../support/test-service.js';

/** Production requires an https public URL; the instances themselves answer plain http here. */
const PUBLIC_URL = 'https://task-api.test';

/** Two instances behind one load balancer: same database, same secret, same public URL. */
describe('two instances on one PostgreSQL database', () => {
  let db: TestDatabase;
  const instances: RunningProcess[] = [];
  let first: Api;
  let second: Api;

  beforeAll(async () => {
    db = await createPostgresDatabase('two_instances');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const env = {
      DATABASE_URL: db.config.url,
      BETTER_AUTH_SECRET: TEST_SECRET,
      BETTER_AUTH_URL: PUBLIC_URL,
      NODE_ENV: 'production',
    };
    // Started at the same moment on an empty schema: the migration lock must serialise them.
    const [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    instances.push(a.process, b.process);
    first = new Api(a.url);
    second = new Api(b.url);
  });

  afterAll(async () => {
    await Promise.all(instances.map((p) => p.stop()));
    await db?.drop();
  });

  it('both come up ready', async () => {
    expect((await first.request('GET', '/ready')).status).toBe(200);
    expect((await second.request('GET', '/ready')).status).toBe(200);
  });

  it('accepts on one instance a token issued by the other, over the same tasks', async () => {
    const user = await signUp(first, 'Balanced', PUBLIC_URL);
    const tasks = `/api/${user.id}/tasks`;
    const created = await second.request('POST', tasks, {
      token: user.token,
      json: { title: 'Written through the second instance' },
    });
    expect(created.status).toBe(201);
    const listed = await first.request<{ items: { title: string }[] }>('GET', tasks, {
      token: user.token,
    });
    expect(listed.body.items.map((t) => t.title)).toEqual(['Written through the second instance']);

    const fromSecond = await signUp(second, 'Other side', PUBLIC_URL);
    expect((await first.request('GET', '/api/me', { token: fromSecond.token })).status).toBe(200);
  });

  it('shares one sign-in rate limit between the instances', async () => {
    const statuses: number[] = [];
    // Alternating instances: with a limit per instance, all four would get through.
    for (const [i, api] of [first, second, first, second].entries()) {
      const res = await fetch(`${api.baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: PUBLIC_URL },
        body: JSON.stringify({ email: 'victim@example.com', password: `guess-number-${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  let retrier: SignedInUser;

  it('shares Idempotency-Keys: a create retried on the other instance is the first answer', async () => {
    const user = (retrier = await signUp(first, 'Retrying', PUBLIC_URL));
    const tasks = `/api/${user.id}/tasks`;
    const headers = { 'Idempotency-Key': 'create-once-across-instances' };
    const json = { title: 'Created once' };
    const created = await first.request('POST', tasks, { token: user.token, json, headers });
    const retried = await second.request('POST', tasks, { token: user.token, json, headers });
    expect(created.status).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(created.body);
    const listed = await second.request<{ items: unknown[] }>('GET', tasks, { token: user.token });
    expect(listed.body.items).toHaveLength(1);
  });

  it('keeps Idempotency-Keys across a restart', async () => {
    // Sign-ups are rate-limited in production: the previous test's user serves again.
    const user = retrier;
    const tasks = `/api/${user.id}/tasks`;
    const headers = { 'Idempotency-Key': 'survives-a-restart' };
    const json = { title: 'Before the restart' };
    const created = await first.request('POST', tasks, { token: user.token, json, headers });

    await Promise.all(instances.splice(0).map((p) => p.stop()));
    const restarted = await startApiProcess({
      DATABASE_URL: (db.config as { url: string }).url,
      BETTER_AUTH_SECRET: TEST_SECRET,
      BETTER_AUTH_URL: PUBLIC_URL,
      NODE_ENV: 'production',
    });
    instances.push(restarted.process);
    const api = new Api(restarted.url);
    const retried = await api.request('POST', tasks, { token: user.token, json, headers });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(created.body);
  });
});
