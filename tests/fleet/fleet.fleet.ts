import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { quotaBlockFor } from '../../src/infrastructure/rate-limit/per-user-rate-limiter.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { FLEET_PUBLIC_URL, startFleet, type Fleet } from '../support/fleet.js';
import { parseExposition, sampleValue } from '../support/prometheus-text.js';
import { steadyLoad, type LoadOutcome } from '../support/steady-load.js';
import { eventually } from '../support/waiting.js';

const METRICS_TOKEN = 'fleet-metrics-token-that-is-long-enough-0123456789';

/**
 * `npm run test:fleet`: three instances of the built service (dist/main.js) on one PostgreSQL
 * database behind HAProxy, configured by deploy/haproxy.cfg, as production runs them.
 */
describe('three instances behind HAProxy on one PostgreSQL database', () => {
  let fleet: Fleet;
  let balanced: Api;
  let user: SignedInUser;

  beforeAll(async () => {
    fleet = await startFleet({
      label: 'fleet',
      // The load below is about availability, not the per-user limit. Each instance serves its
      // metrics on its own port to the scraper's token.
      env: { TASK_API_RATE_LIMIT: '0', METRICS_TOKEN },
    });
    balanced = new Api(fleet.url);
    user = await signUp(balanced, 'Fleet', FLEET_PUBLIC_URL);
  });

  afterAll(async () => {
    await fleet?.close();
  });

  const listTasks = (requestId: string) =>
    fetch(`${fleet.url}/api/${user.id}/tasks`, {
      headers: { Authorization: `Bearer ${user.token}`, 'X-Request-Id': requestId },
    });
  const createTask = (requestId: string) =>
    fetch(`${fleet.url}/api/${user.id}/tasks`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${user.token}`,
        'Content-Type': 'application/json',
        'X-Request-Id': requestId,
      },
      body: JSON.stringify({ title: requestId }),
    });

  it('sends requests round-robin to the instances', async () => {
    const requestIds = Array.from({ length: 9 }, (_, i) => `round-robin-${i}`);
    for (const requestId of requestIds) expect((await listTasks(requestId)).status).toBe(200);

    const order: string[] = [];
    for (const requestId of requestIds) order.push((await fleet.answeredBy(requestId)).name);
    // Any three in a row went to three different instances.
    for (let i = 0; i + 3 <= order.length; i++) {
      expect(new Set(order.slice(i, i + 3)).size).toBe(3);
    }
  });

  it('scrapes each instance’s metrics: each counted the list requests it answered', async () => {
    const requestIds = Array.from({ length: 6 }, (_, i) => `scraped-${i}`);
    for (const requestId of requestIds) expect((await listTasks(requestId)).status).toBe(200);
    const answered = await Promise.all(requestIds.map((id) => fleet.answeredBy(id)));

    for (const instance of fleet.instances) {
      const res = await fetch(`${instance.url}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      const samples = parseExposition(await res.text());
      const lists = sampleValue(samples, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/:userId/tasks',
        status_class: '2xx',
      });
      // At least the ones of this test it answered (the round-robin test's come on top).
      expect(lists).toBeGreaterThanOrEqual(answered.filter((a) => a === instance).length);
      expect(sampleValue(samples, 'task_api_revocations_listen_connected')).toBe(1);
      expect(
        sampleValue(samples, 'task_api_token_acceptances_total', { result: 'memo_hit' }),
      ).toBeGreaterThan(0);
    }
    expect(new Set(answered).size).toBe(3);
  });

  it('refuses a signed-out session’s token on every instance within 2 s', async () => {
    const leaving = await signUp(balanced, 'Leaving', FLEET_PUBLIC_URL);
    const me = (url: string) =>
      fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${leaving.token}` } });
    for (const instance of fleet.instances) expect((await me(instance.url)).status).toBe(200);

    const signOut = await fetch(`${fleet.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { Cookie: leaving.cookie, Origin: FLEET_PUBLIC_URL },
    });
    expect(signOut.status).toBe(200);

    await Promise.all(
      fleet.instances.map((instance) =>
        eventually(async () => expect((await me(instance.url)).status).toBe(401), 2_000),
      ),
    );
  });

  it('stops an instance with SIGTERM during 100 requests in flight and a steady trickle, then starts it again, without one failed request', async () => {
    // Each held request changes a task of its own: they wait on nothing but their bodies.
    const tasks: string[] = [];
    for (let i = 0; i < 100; i++) {
      const created = await balanced.request<{ id: string }>('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: `Held ${i}` },
      });
      expect(created.status).toBe(201);
      tasks.push(created.body.id);
    }

    let outcomes: readonly LoadOutcome[];
    const trickle = steadyLoad(
      4,
      (requestId, sequence) => (sequence % 2 === 0 ? listTasks(requestId) : createTask(requestId)),
      'trickle',
    );
    try {
      await eventually(async () => expect(trickle.outcomes().length).toBeGreaterThan(20));

      // 100 changes through the balancer whose bodies are only half sent: in flight on every
      // instance, the one about to stop included, until the test sends the rest.
      const held = tasks.map((taskId, i) => heldPatch(`held-${i}`, taskId));
      await eventually(async () => {
        const sessions = (await fleet.balancer.servers()).map((server) => server.sessions);
        expect(sessions.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(100);
      });

      const stopping = fleet.instances[1];
      if (!stopping) throw new Error('the fleet has three instances');
      const draining = stopping.process;
      const exited = stopping.stop('SIGTERM');
      await draining.waitFor(/"msg":"listener closed/);
      // /ready answered 503 from the signal on: the balancer took the instance out before its
      // listener closed, which it kept serving until then.
      const [state] = (await fleet.balancer.servers()).filter((s) => s.name === stopping.name);
      expect(state?.status).toMatch(/^DOWN/);
      const afterSignal = draining.stdout().split('"msg":"draining')[1] ?? '';
      expect(afterSignal).toMatch(/"requestId":"trickle-/);
      for (const patch of held) patch.finish();
      const answers = await Promise.all(held.map((patch) => patch.answer));
      expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
      expect(await exited).toBe(0);
      // Some of them were answered by the instance that stopped, after its listener had closed.
      expect(held.filter((patch) => stopping.answered(patch.requestId)).length).toBeGreaterThan(0);

      await stopping.start();
      await fleet.allInRotation();
      const answeredByRestarted = () => stopping.process.stdout().includes('"requestId":"trickle-');
      await eventually(async () => expect(answeredByRestarted()).toBe(true));
    } finally {
      outcomes = await trickle.stop();
    }
    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 201)).toEqual([]);
  });

  /** A PATCH of `taskId` whose body is half sent now and the rest on `finish()`. */
  function heldPatch(requestId: string, taskId: string) {
    const body = JSON.stringify({ title: `Changed by ${requestId}` });
    const req = request(`${fleet.url}/api/${user.id}/tasks/${taskId}`, {
      method: 'PATCH',
      agent: false,
      headers: {
        Authorization: `Bearer ${user.token}`,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'X-Request-Id': requestId,
      },
    });
    const answer = new Promise<{
      requestId: string;
      status?: number;
      body?: string;
      error?: string;
    }>((resolve) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ requestId, status: res.statusCode, body: text }));
      });
      req.on('error', (error) => resolve({ requestId, error: String(error) }));
    });
    req.write(body.slice(0, 10));
    return { requestId, answer, finish: () => req.end(body.slice(10)) };
  }
});

/**
 * The per-user limit of a production fleet on one PostgreSQL database, with nothing but
 * TASK_API_RATE_LIMIT set: counted in the database, so it holds across the three instances.
 */
describe('TASK_API_RATE_LIMIT across three instances on one PostgreSQL database', () => {
  // Quota blocks of 6: the instances cross blocks, each other and the limit.
  const LIMIT = 300;
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ label: 'fleet_limit', env: { TASK_API_RATE_LIMIT: String(LIMIT) } });
  });

  afterAll(async () => {
    await fleet?.close();
  });

  it('lets at most the limit (plus 5 %) through of 2 × the limit sent round-robin', async () => {
    const user = await signUp(new Api(fleet.url), 'Limited', FLEET_PUBLIC_URL);
    const statuses: number[] = [];
    for (let sent = 0; sent < 2 * LIMIT; sent += 10) {
      const batch = Array.from({ length: 10 }, (_, i) => `limited-${sent + i}`);
      const answers = await Promise.all(
        batch.map((requestId) =>
          fetch(`${fleet.url}/api/${user.id}/tasks`, {
            headers: { Authorization: `Bearer ${user.token}`, 'X-Request-Id': requestId },
          }),
        ),
      );
      statuses.push(...answers.map((res) => res.status));
    }
    const ok = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(ok).toBeLessThanOrEqual(Math.floor(LIMIT * 1.05));
    // Quota blocks cost at most block - 1 points held by each other instance.
    expect(ok).toBeGreaterThanOrEqual(LIMIT - 2 * (quotaBlockFor(LIMIT) - 1));
    // Three more in a row go to the three instances: each refuses.
    const refusedBy = [];
    for (const requestId of ['refused-0', 'refused-1', 'refused-2']) {
      const res = await fetch(`${fleet.url}/api/${user.id}/tasks`, {
        headers: { Authorization: `Bearer ${user.token}`, 'X-Request-Id': requestId },
      });
      expect(res.status).toBe(429);
      refusedBy.push(await fleet.answeredBy(requestId));
    }
    expect(new Set(refusedBy).size).toBe(3);
  });
});
