import { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RateLimitStore } from '../../src/infrastructure/config/env.js';
import { createLogger } from '../../src/infrastructure/observability/logger.js';
import { TOKENS } from '../../src/infrastructure/di/tokens.js';
import {
  purgeExpiredRateLimits,
  quotaBlockFor,
  RATE_LIMIT_TABLE,
} from '../../src/infrastructure/rate-limit/per-user-rate-limiter.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { freePort } from '../support/free-port.js';
import { parseExposition, sampleValue } from '../support/prometheus-text.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A block of 6 points per round trip, so the test crosses blocks, instances and the limit. */
const LIMIT = 300;

/**
 * 2 × LIMIT list requests for one user, alternating between the instances, ten at a time:
 * the statuses, by class.
 */
async function sendAlternating(apis: readonly Api[], user: SignedInUser, total: number) {
  const statuses: number[] = [];
  for (let sent = 0; sent < total; sent += 10) {
    const batch = Array.from({ length: Math.min(10, total - sent) }, (_, i) =>
      apis[(sent + i) % apis.length]!.request('GET', `/api/${user.id}/tasks`, {
        token: user.token,
      }),
    );
    statuses.push(...(await Promise.all(batch)).map((res) => res.status));
  }
  return {
    ok: statuses.filter((s) => s >= 200 && s < 300).length,
    limited: statuses.filter((s) => s === 429).length,
    other: statuses.filter((s) => s !== 429 && (s < 200 || s >= 300)),
  };
}

describe.each<[string, RateLimitStore]>([
  ['the PostgreSQL database', { kind: 'database' }],
  ['Redis', { kind: 'redis', url: REDIS_URL }],
])('TASK_API_RATE_LIMIT shared by two instances through %s', (_name, rateLimitStore) => {
  let db: TestDatabase;
  let instances: RunningServer[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase('shared_rate_limit');
    instances = await Promise.all(
      [1, 2].map(() =>
        startTestService({ database: db.config, taskApiRateLimit: LIMIT, rateLimitStore }),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await db?.drop();
  });

  it('lets at most the limit (plus 5 %) through of 2 × the limit spread over both', async () => {
    const apis = instances.map((instance) => new Api(instance.url));
    const user = await signUp(apis[0]!, 'Shared');
    const { ok, limited, other } = await sendAlternating(apis, user, 2 * LIMIT);
    expect(other).toEqual([]);
    expect(ok).toBeLessThanOrEqual(Math.floor(LIMIT * 1.05));
    // What quota blocks may cost: the points the other instance took and did not use.
    expect(ok).toBeGreaterThanOrEqual(LIMIT - (quotaBlockFor(LIMIT) - 1));
    expect(ok + limited).toBe(2 * LIMIT);
  });

  it('counts each user apart', async () => {
    const apis = instances.map((instance) => new Api(instance.url));
    const user = await signUp(apis[1]!, 'Apart');
    const res = await apis[0]!.request('GET', `/api/${user.id}/tasks`, { token: user.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toMatch(/^"per-user";r=\d+;t=\d+$/);
  });
});

describe('a shared store that cannot be reached (REDIS_URL on a closed port)', () => {
  const LOW_LIMIT = 5;
  const lines: string[] = [];
  let db: TestDatabase;
  let instances: RunningServer[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase('shared_rate_limit_outage');
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    instances = await Promise.all(
      [1, 2].map(() =>
        startTestService({
          database: db.config,
          taskApiRateLimit: LOW_LIMIT,
          rateLimitStore: { kind: 'redis', url: closed },
          metrics: { listener: null, token: null },
          overrides: { logger: createLogger('info', sink) },
        }),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await db?.drop();
  });

  it('still answers every request, limited per instance, warns once and counts each fallback', async () => {
    const [first, second] = instances.map((instance) => new Api(instance.url));
    const user = await signUp(first!, 'Outage');
    const statuses = async (api: Api) => {
      const answers = [];
      for (let i = 0; i < LOW_LIMIT + 3; i++) {
        answers.push(
          (await api.request('GET', `/api/${user.id}/tasks`, { token: user.token })).status,
        );
      }
      return answers;
    };
    const refusedAfterLimit = [...Array(LOW_LIMIT).fill(200), 429, 429, 429];
    expect(await statuses(first!)).toEqual(refusedAfterLimit);
    // Each instance counts in its own memory while the store is away.
    expect(await statuses(second!)).toEqual(refusedAfterLimit);

    const warnings = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => /rate-limit store cannot be reached/.test(entry.msg));
    expect(warnings).toHaveLength(2); // once per instance, not once per request
    expect(warnings.every((entry) => entry.level === 40)).toBe(true);
    for (const instance of instances) {
      const samples = parseExposition(await instance.services.metrics!.metrics());
      expect(sampleValue(samples, 'task_api_rate_limit_fallbacks_total')).toBe(LOW_LIMIT + 3);
    }
  });
});

describe('the PostgreSQL store’s expired counts', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('rate_limit_purge');
    service = await startTestService({ database: db.config, rateLimitStore: { kind: 'database' } });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('are deleted by the purge; a window still open is kept', async () => {
    const { orm } = await service.services.container.getAsync(TOKENS.Database);
    const knex = (orm.em as EntityManager).getKnex();
    await knex(RATE_LIMIT_TABLE).insert([
      { key: 'per-user:600/60:ended', points: 600, expire: Date.now() - 1000 },
      { key: 'per-user:600/60:open', points: 12, expire: Date.now() + 60_000 },
    ]);
    expect(await purgeExpiredRateLimits(knex)).toBe(1);
    const keys = await knex(RATE_LIMIT_TABLE).pluck('key');
    expect(keys).toEqual(['per-user:600/60:open']);
  });
});
