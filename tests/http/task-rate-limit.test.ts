import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';

const FRONTEND = 'https://app.example.com';

/** `"per-user";r=3;t=60` → { r: 3, t: 60 } */
function rateLimitField(value: string | null): { r: number; t: number } {
  const match = /^"per-user";r=(\d+);t=(\d+)$/.exec(value ?? '');
  if (!match) throw new Error(`not a RateLimit field: ${value}`);
  return { r: Number(match[1]), t: Number(match[2]) };
}

describe('TASK_API_RATE_LIMIT: requests per minute per user', () => {
  let db: TestDatabase;
  let limited: RunningServer;
  let unlimited: RunningServer;
  let byDefault: RunningServer;
  let api: Api;
  let ada: SignedInUser;
  let grace: SignedInUser;

  beforeAll(async () => {
    db = await createPostgresDatabase('task_rate_limit');
    [limited, unlimited, byDefault] = await Promise.all([
      startTestService({ database: db.config, taskApiRateLimit: 4, corsOrigins: [FRONTEND] }),
      startTestService({ database: db.config, taskApiRateLimit: 0 }),
      startTestService({ database: db.config }),
    ]);
    api = new Api(limited.url);
    ada = await signUp(api, 'Ada');
    grace = await signUp(api, 'Grace');
  });

  afterAll(async () => {
    await Promise.all([limited?.close(), unlimited?.close(), byDefault?.close()]);
    await db?.drop();
  });

  it('counts every answer down in RateLimit, then answers 429 with Retry-After', async () => {
    const tasks = `/api/${ada.id}/tasks`;
    const answers = [
      await api.request('GET', tasks, { token: ada.token }),
      await api.request('POST', tasks, { token: ada.token, json: { title: 'one' } }),
      await api.request('POST', tasks, { token: ada.token, json: { title: '' } }), // a 422
      await api.request('GET', '/api/me', { token: ada.token }),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 201, 422, 200]);
    for (const res of answers) {
      expect(res.headers.get('ratelimit-policy')).toBe('"per-user";q=4;w=60');
    }
    expect(answers.map((res) => rateLimitField(res.headers.get('ratelimit')).r)).toEqual([
      3, 2, 1, 0,
    ]);

    const refused = await api.request<{ status: number; detail: string }>('GET', tasks, {
      token: ada.token,
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(refused.body.detail).toMatch(/at most 4 requests a minute/);
    const { r, t } = rateLimitField(refused.headers.get('ratelimit'));
    expect(r).toBe(0);
    expect(t).toBeGreaterThanOrEqual(1);
    expect(t).toBeLessThanOrEqual(60);
    expect(refused.headers.get('retry-after')).toBe(String(t));
  });

  it('keeps one user’s quota from touching another’s', async () => {
    const res = await api.request('GET', `/api/${grace.id}/tasks`, { token: grace.token });
    expect(res.status).toBe(200);
    expect(rateLimitField(res.headers.get('ratelimit')).r).toBe(3);
  });

  it('counts apart on an instance configured with another limit', async () => {
    const other = new Api(byDefault.url);
    const res = await other.request('GET', `/api/${ada.id}/tasks`, { token: ada.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-policy')).toBe('"per-user";q=600;w=60');
    expect(rateLimitField(res.headers.get('ratelimit')).r).toBe(599);
  });

  it('does not count requests without a valid token (they never reach a user)', async () => {
    const res = await api.request('GET', `/api/${grace.id}/tasks`);
    expect(res.status).toBe(401);
    expect(res.headers.get('ratelimit')).toBeNull();
  });

  it('lets a browser on another origin read the headers', async () => {
    const res = await fetch(`${limited.url}/health`, { headers: { Origin: FRONTEND } });
    const exposed = res.headers.get('access-control-expose-headers') ?? '';
    expect(exposed.split(',')).toEqual(
      expect.arrayContaining(['RateLimit', 'RateLimit-Policy', 'Retry-After']),
    );
  });

  it('is off with 0: no limit and no headers', async () => {
    const other = new Api(unlimited.url);
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      const res = await other.request('GET', `/api/${ada.id}/tasks`, { token: ada.token });
      statuses.push(res.status);
      expect(res.headers.get('ratelimit')).toBeNull();
      expect(res.headers.get('ratelimit-policy')).toBeNull();
    }
    expect(statuses).toEqual(Array(8).fill(200));
  });
});
