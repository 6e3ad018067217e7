import { describe, expect, it } from '@jest/globals';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { MemoryFallbackLimiter } from '../../../src/infrastructure/rate-limit/memory-fallback-limiter.js';
import { quotaBlockFor } from '../../../src/infrastructure/rate-limit/per-user-rate-limiter.js';
import { QuotaBlockRateLimiter } from '../../../src/infrastructure/rate-limit/quota-block-rate-limiter.js';

interface Logged {
  readonly level: 'warn' | 'info';
  readonly message: string;
}

/** A store every "instance" shares, which counts its round trips. */
class CountingStore extends RateLimiterMemory {
  roundTrips = 0;

  override consume(key: string | number, points?: number): Promise<RateLimiterRes> {
    this.roundTrips += 1;
    return super.consume(key, points);
  }
}

/**
 * What RateLimiterRedis asks of an ioredis client: its status, and the counting script it
 * defines (a key's new total and the milliseconds left in its window).
 */
class FakeRedis {
  status = 'ready';
  private readonly counts = new Map<string, number>();

  defineCommand(): void {}

  async rlflxIncr([key, points]: string[]): Promise<[number, number]> {
    const total = (this.counts.get(key ?? '') ?? 0) + Number(points);
    this.counts.set(key ?? '', total);
    return [total, 60_000];
  }
}

function instance(options: {
  store: RateLimiterAbstract;
  fallback?: MemoryFallbackLimiter | null;
  limit: number;
  block: number;
  logged?: Logged[];
  fellBack?: () => void;
}) {
  const logged = options.logged ?? [];
  return new QuotaBlockRateLimiter({
    store: options.store,
    fallback: options.fallback ?? null,
    storeName: 'redis',
    limit: options.limit,
    windowSeconds: 60,
    block: options.block,
    events: {
      logger: {
        warn: (_details, message) => logged.push({ level: 'warn', message }),
        info: (_details, message) => logged.push({ level: 'info', message }),
      },
      fellBack: options.fellBack,
    },
  });
}

const limits = (limit: number) => ({ points: limit, duration: 60 });

describe('QuotaBlockRateLimiter', () => {
  it('counts one request a round trip with blocks of 1, down to 0 remaining, then refuses', async () => {
    const limiter = instance({ store: new RateLimiterMemory(limits(3)), limit: 3, block: 1 });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.hit('ada'));
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    for (const { resetSeconds } of decisions) {
      expect(resetSeconds).toBeGreaterThanOrEqual(59);
      expect(resetSeconds).toBeLessThanOrEqual(60);
    }
  });

  it('takes a block of points per round trip and lets them through from memory', async () => {
    const store = new CountingStore(limits(100));
    const limiter = instance({ store, limit: 100, block: 10 });
    const remaining = [];
    for (let i = 0; i < 25; i++) remaining.push((await limiter.hit('ada')).remaining);
    expect(store.roundTrips).toBe(3);
    // One instance knows every point it took: the count is exact.
    expect(remaining).toEqual(Array.from({ length: 25 }, (_, i) => 99 - i));
  });

  it('lets at most the limit through across instances sharing the store, and at most block - 1 less', async () => {
    const store = new CountingStore(limits(100));
    const [a, b] = [
      instance({ store, limit: 100, block: 7 }),
      instance({ store, limit: 100, block: 7 }),
    ];
    let allowed = 0;
    for (let i = 0; i < 200; i++) if ((await (i % 2 ? b : a).hit('ada')).allowed) allowed += 1;
    expect(allowed).toBeLessThanOrEqual(100);
    expect(allowed).toBeGreaterThanOrEqual(100 - 6);
  });

  it('shares one round trip among concurrent requests and never lets more through', async () => {
    const store = new CountingStore(limits(50));
    const limiter = instance({ store, limit: 50, block: 5 });
    const decisions = await Promise.all(Array.from({ length: 80 }, () => limiter.hit('ada')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(50);
    // The tenth block brings the store to the limit: the key is known spent without another.
    expect(store.roundTrips).toBe(10);
  });

  it('refuses a spent key from memory until its window ends', async () => {
    const store = new CountingStore(limits(2));
    const limiter = instance({ store, limit: 2, block: 1 });
    const allowed = [];
    for (let i = 0; i < 10; i++) allowed.push((await limiter.hit('ada')).allowed);
    expect(allowed.filter(Boolean)).toHaveLength(2);
    expect(store.roundTrips).toBe(2);
  });

  it('keeps users apart', async () => {
    const limiter = instance({ store: new RateLimiterMemory(limits(1)), limit: 1, block: 1 });
    expect((await limiter.hit('ada')).allowed).toBe(true);
    expect((await limiter.hit('grace')).allowed).toBe(true);
    expect((await limiter.hit('ada')).allowed).toBe(false);
  });

  it('counts in memory while the store is down: limited per instance, warned once, counted each time', async () => {
    const fallback = new MemoryFallbackLimiter(limits(5));
    const redis = new FakeRedis();
    const store = new RateLimiterRedis({
      ...limits(5),
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: fallback,
    });
    redis.status = 'reconnecting';
    const logged: Logged[] = [];
    let fellBack = 0;
    const limiter = instance({
      store,
      fallback,
      limit: 5,
      block: 1,
      logged,
      fellBack: () => (fellBack += 1),
    });
    const allowed = [];
    for (let i = 0; i < 8; i++) allowed.push((await limiter.hit('ada')).allowed);
    expect(allowed).toEqual([true, true, true, true, true, false, false, false]);
    expect(fellBack).toBe(8);
    expect(logged).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/shared rate-limit store cannot be reached/),
      },
    ]);

    redis.status = 'ready';
    expect((await limiter.hit('grace')).allowed).toBe(true);
    expect(fellBack).toBe(8);
    expect(logged.map((l) => l.level)).toEqual(['warn', 'info']);
  });
});

describe('quotaBlockFor', () => {
  it('is 2 % of the limit, at least 1 and at most 50', () => {
    expect([1, 20, 99, 100, 600, 2500, 1_000_000].map(quotaBlockFor)).toEqual([
      1, 1, 1, 2, 12, 50, 50,
    ]);
  });
});

describe('QuotaBlockRateLimiter’s memory', () => {
  it('forgets users whose window ended, and holds at most maxKeys', async () => {
    const store = new RateLimiterMemory({ points: 10, duration: 1 });
    const limiter = new QuotaBlockRateLimiter({
      store,
      fallback: null,
      storeName: 'memory',
      limit: 10,
      windowSeconds: 1,
      block: 1,
      maxKeys: 5,
      events: { logger: { warn: () => undefined, info: () => undefined } },
    });
    for (let i = 0; i < 8; i++) await limiter.hit(`user-${i}`);
    expect(limiter.size).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await limiter.hit('late');
    expect(limiter.size).toBe(1);
  });
});
