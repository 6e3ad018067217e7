import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import {
  parseExposition,
  promtoolCheck,
  sampleValue,
  type Sample,
} from '../support/prometheus-text.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';
import { unsignedToken } from '../support/unsigned-token.js';
import { eventually } from '../support/waiting.js';

const METRICS_TOKEN = randomBytes(24).toString('hex');
const RATE_LIMIT = 60;
const PASSWORD = 'correct-horse-battery-staple';

/** The label values a route may have: the code's templates, never a request's path. */
const ROUTE = /^(unmatched|(\/[\w.-]+|\/:\w+)+)$/;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'];

describe('Prometheus metrics (PostgreSQL, Better Auth, real HTTP)', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let off: RunningServer;
  let api: Api;
  /** Everything a label must never carry: ids, emails, tokens, cookies, raw paths. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    db = await createPostgresDatabase('metrics');
    [service, off] = await Promise.all([
      startTestService({
        database: db.config,
        taskApiRateLimit: RATE_LIMIT,
        metrics: { listener: { host: '127.0.0.1', port: 0 }, token: METRICS_TOKEN },
      }),
      startTestService({ database: db.config }),
    ]);
    api = new Api(service.url);
  });

  afterAll(async () => {
    await Promise.all([service?.close(), off?.close()]);
    await db?.drop();
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${service.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };

  const remember = (...values: string[]) => values.forEach((value) => secrets.add(value));

  async function newUser(name: string): Promise<SignedInUser> {
    const user = await signUp(api, name);
    remember(user.id, user.email, user.token, user.cookie, user.name);
    return user;
  }

  const send = (method: string, path: string, options: Parameters<Api['request']>[2] = {}) =>
    api.request(method, path, options);

  /** A random id that a path or a body carries, and no label may. */
  const fresh = () => {
    const id = randomUUID();
    remember(id);
    return id;
  };

  const authPost = (path: string, body: unknown, cookie = '') =>
    fetch(`${service.url}/api/auth${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: cookie },
      body: JSON.stringify(body),
    });

  /**
   * Many users and tasks, unknown paths, refused tokens, 404s, Better Auth's routes, a rate limit,
   * a replayed create, racing writes. Run twice with new users: the second run must add no series.
   */
  async function variedRun(round: number): Promise<void> {
    const users = await Promise.all([1, 2, 3, 4].map((i) => newUser(`Round${round} User${i}`)));
    const [ada, grace, linus, margaret] = users as [
      SignedInUser,
      SignedInUser,
      SignedInUser,
      SignedInUser,
    ];

    // Better Auth: sign-in, session, a path it does not serve, a method it does not take.
    const signIn = await authPost('/sign-in/email', { email: ada.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect((await send('GET', `/api/auth/no-such-endpoint-${fresh()}`)).status).toBe(404);
    expect((await send('GET', '/api/auth/sign-up/email')).status).toBe(405);
    const session = await fetch(`${service.url}/api/auth/get-session`, {
      headers: { Cookie: ada.cookie },
    });
    expect(session.status).toBe(200);

    for (const user of users) {
      const tasks = `/api/${user.id}/tasks`;
      const ids: string[] = [];
      for (const title of [`Secret title ${fresh()}`, 'Another one']) {
        const created = await send('POST', tasks, { token: user.token, json: { title } });
        expect(created.status).toBe(201);
        ids.push((created.body as { id: string }).id);
        remember(title);
      }
      const key = fresh();
      remember(key);
      for (let i = 0; i < 2; i++) {
        const res = await send('POST', tasks, {
          token: user.token,
          json: { title: 'Once' },
          headers: { 'Idempotency-Key': key },
        });
        expect(res.status).toBe(201);
      }
      remember(...ids);
      const [first = '', second = ''] = ids;
      expect((await send('GET', `${tasks}?limit=5&q=secret`, { token: user.token })).status).toBe(
        200,
      );
      expect((await send('GET', `${tasks}/${first}`, { token: user.token })).status).toBe(200);
      const stale = await send('PATCH', `${tasks}/${first}`, {
        token: user.token,
        json: { title: 'Stale' },
        headers: { 'If-Match': '"99"' },
      });
      expect(stale.status).toBe(412);
      expect(
        (await send('PATCH', `${tasks}/${first}`, { token: user.token, json: { title: '' } }))
          .status,
      ).toBe(422);
      expect(
        (await send('PATCH', `${tasks}/${first}/complete`, { token: user.token })).status,
      ).toBe(200);
      expect((await send('DELETE', `${tasks}/${second}`, { token: user.token })).status).toBe(204);
      expect((await send('GET', `${tasks}/${second}`, { token: user.token })).status).toBe(404);
      expect((await send('GET', `${tasks}/${fresh()}`, { token: user.token })).status).toBe(404);
      expect((await send('GET', '/api/me', { token: user.token })).status).toBe(200);
    }

    // Someone else's list, paths nobody serves, paths carrying an email or a token.
    expect(
      (await send('GET', `/api/${grace.id}/tasks`, { token: ada.token })).status,
    ).toBeGreaterThanOrEqual(403);
    for (const path of [
      `/nope/${fresh()}`,
      `/api/${ada.id}/nope`,
      `/${encodeURIComponent(ada.email)}`,
      `/api/x/${ada.token}`,
      `/api/${ada.id}/tasks/${fresh()}/${fresh()}`,
    ]) {
      expect((await send('GET', path)).status).toBe(404);
    }
    expect((await send('DELETE', '/api/me', { token: ada.token })).status).toBe(405);

    // Refused tokens: none, garbage, unsigned, a forged signature, a session that ended.
    const list = `/api/${linus.id}/tasks`;
    const forged = `${linus.token.slice(0, -4)}${linus.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const unsigned = unsignedToken({ sub: linus.id, exp: Math.floor(Date.now() / 1000) + 60 });
    remember(forged, unsigned);
    expect((await send('GET', list)).status).toBe(401);
    for (const token of ['garbage', forged, unsigned]) {
      expect((await send('GET', list, { token })).status).toBe(401);
    }
    expect((await authPost('/sign-out', {}, margaret.cookie)).status).toBe(200);
    await eventually(async () => {
      const res = await send('GET', `/api/${margaret.id}/tasks`, { token: margaret.token });
      expect(res.status).toBe(401);
    });

    // Writes racing on one task: each loses to the others and tries again.
    const raced = await send('POST', list, { token: linus.token, json: { title: 'Raced' } });
    const racedPath = `${list}/${(raced.body as { id: string }).id}`;
    remember(racedPath, (raced.body as { id: string }).id);
    const racing = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        send('PATCH', racedPath, { token: linus.token, json: { description: `writer ${i}` } }),
      ),
    );
    expect(racing.every((res) => res.status === 200)).toBe(true);

    // One user past the per-user limit.
    const limited = await newUser(`Round${round} Limited`);
    const answers = await Promise.all(
      Array.from({ length: RATE_LIMIT + 1 }, () =>
        send('GET', `/api/${limited.id}/tasks`, { token: limited.token }),
      ),
    );
    expect(answers.filter((res) => res.status === 429)).toHaveLength(1);

    // The rest of what a client meets: health, the document, a preflight, /metrics itself.
    expect((await send('GET', '/health')).status).toBe(200);
    expect((await send('GET', '/ready')).status).toBe(200);
    expect((await send('GET', '/openapi.json')).status).toBe(200);
    const preflight = await send('OPTIONS', list, {
      headers: { 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect((await send('GET', '/metrics', { token: 'wrong' })).status).toBe(401);
    expect((await send('GET', '/metrics', { token: METRICS_TOKEN })).status).toBe(200);
  }

  /** The series of the service's own metrics (not Node's), as name{labels} without values. */
  const ownSeries = (samples: readonly Sample[]) =>
    new Set(
      samples
        .filter(({ name }) => name.startsWith('http_') || name.startsWith('task_api_'))
        .map(({ name, labels }) => `${name}${JSON.stringify(labels)}`),
    );

  let samples: Sample[];
  let text: string;

  it('after a varied run, and another with new users, counts what happened in bounded series', async () => {
    await variedRun(1);
    const afterOne = ownSeries(parseExposition(await scrape()));
    await variedRun(2);
    text = await scrape();
    samples = parseExposition(text);

    // The second run, with other users, tasks, keys and paths, adds no series.
    expect([...ownSeries(samples)].filter((series) => !afterOne.has(series))).toEqual([]);

    const count = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, labels);
    const list = { method: 'GET', route: '/api/:userId/tasks' };
    expect(
      count('http_request_duration_seconds_count', { ...list, status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(2 * RATE_LIMIT);
    expect(
      count('http_request_duration_seconds_count', { ...list, status_class: '4xx' }),
    ).toBeGreaterThanOrEqual(10);
    expect(
      count('http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/auth/sign-up/email',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(10);
    expect(
      count('http_request_duration_seconds_count', { route: 'unmatched', status_class: '4xx' }),
    ).toBeGreaterThanOrEqual(2);
    expect(count('task_api_token_acceptances_total', { result: 'verified' })).toBeGreaterThan(0);
    expect(count('task_api_token_acceptances_total', { result: 'memo_hit' })).toBeGreaterThan(
      2 * RATE_LIMIT,
    );
    for (const reason of ['missing', 'malformed', 'bad_signature', 'session_ended']) {
      expect(count('task_api_token_refusals_total', { reason })).toBeGreaterThanOrEqual(2);
    }
    expect(count('task_api_jwks_fetches_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(count('task_api_jwks_fetches_total', { result: 'failed' })).toBe(0);
    expect(count('task_api_idempotent_replays_total')).toBe(2 * 4);
    expect(count('task_api_rate_limit_refusals_total', { limiter: 'per_user' })).toBe(2);
    expect(count('task_api_task_write_retries_total')).toBeGreaterThanOrEqual(0);
    expect(count('task_api_task_write_conflicts_total')).toBe(0);
    expect(count('task_api_event_streams_open')).toBe(0);
    expect(count('task_api_db_pool_acquire_seconds_count')).toBeGreaterThan(100);
    expect(count('task_api_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(count('task_api_db_pool_connections_idle')).toBeGreaterThanOrEqual(1);
    expect(count('task_api_db_pool_waiting')).toBe(0);
    expect(count('task_api_revocations_listen_connected')).toBe(1);
    expect(count('task_api_revocations_staleness_seconds')).toBeLessThan(30);
    // Node's and the process's standard metrics.
    expect(count('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(count('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(count('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samples.some(({ name }) => name === 'nodejs_gc_duration_seconds_count')).toBe(true);
  });

  it('never puts a user id, task id, email, token, title or raw path in a label', () => {
    const values = samples.flatMap(({ labels }) => Object.entries(labels));
    const every = values.map(([name, value]) => `${name}=${value}`).join('\n');
    expect([...secrets].filter((secret) => every.includes(secret))).toEqual([]);
    for (const [name, value] of values) {
      if (name === 'route') expect(value).toMatch(ROUTE);
      if (name === 'method') expect(METHODS).toContain(value);
      if (name === 'status_class') expect(value).toMatch(/^[1-5]xx$/);
    }
    const routes = new Set(values.filter(([name]) => name === 'route').map(([, value]) => value));
    expect([...routes].sort()).toEqual(
      [
        '/api/:userId/tasks',
        '/api/:userId/tasks/:taskId',
        '/api/:userId/tasks/:taskId/complete',
        '/api/auth/get-session',
        '/api/auth/sign-in/email',
        '/api/auth/sign-out',
        '/api/auth/sign-up/email',
        '/api/auth/token',
        '/api/me',
        '/health',
        '/metrics',
        '/openapi.json',
        '/ready',
        'unmatched',
      ].sort(),
    );
  });

  it('is valid exposition text by promtool check metrics', () => {
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('serves only GET /metrics on the metrics port, bound to 127.0.0.1 by default', async () => {
    expect(service.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${service.metricsUrl}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await fetch(`${service.metricsUrl}/`)).status).toBe(404);
    expect((await fetch(`${service.metricsUrl}/api/me`)).status).toBe(404);
    expect((await fetch(`${service.metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('serves /metrics on the API port only to the metrics token: anything else is a 401 problem', async () => {
    for (const token of [undefined, 'wrong', METRICS_TOKEN.slice(0, -1), `${METRICS_TOKEN}x`]) {
      const res = await api.request<{ type: string }>('GET', '/metrics', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(res.body.type).toBe('/problems/unauthorized');
    }
    const user = await newUser('Not The Scraper');
    expect((await api.request('GET', '/metrics', { token: user.token })).status).toBe(401);
    const ok = await api.request<string>('GET', '/metrics', { token: METRICS_TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(ok.body).toContain('# TYPE http_request_duration_seconds histogram');
    expect((await api.request('POST', '/metrics', { token: METRICS_TOKEN })).status).toBe(405);
  });

  it('is off unless configured: no listener, no /metrics', async () => {
    expect(off.metricsUrl).toBeNull();
    expect(off.services.metrics).toBeNull();
    const res = await new Api(off.url).request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(res.status).toBe(404);
  });
});
