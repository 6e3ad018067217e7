import type { Knex } from '@mikro-orm/knex';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { MemoryFallbackLimiter } from './memory-fallback-limiter.js';
import { QuotaBlockRateLimiter, type QuotaBlockEvents } from './quota-block-rate-limiter.js';

/** The table the PostgreSQL store counts in (created by a migration: RateLimitCounterSchema). */
export const RATE_LIMIT_TABLE = 'task_api_rate_limit';

/** Where the per-user counts live: this instance's memory, or a store every instance shares. */
export type RateLimitStoreClient =
  | { readonly kind: 'memory' }
  | { readonly kind: 'postgresql'; readonly knex: Knex }
  | { readonly kind: 'redis'; readonly client: Redis };

/** TASK_API_RATE_LIMIT is a number of requests a minute. */
export const PER_USER_WINDOW_SECONDS = 60;

/** The most points one round trip to a shared store takes. */
const MAX_BLOCK = 50;

/**
 * Points taken from a shared store per round trip: 2 % of the limit (600 a minute: 12), at least
 * 1 and at most 50. A PostgreSQL round trip costs about half a list request's CPU, so 12 requests
 * share it for a few % (bench/RESULTS.md). The share bounds what a block costs a user with several
 * instances: the points one instance took and did not use (block - 1 at most) are not available
 * to the others.
 */
export function quotaBlockFor(limit: number): number {
  return Math.min(MAX_BLOCK, Math.max(1, Math.floor(limit / 50)));
}

export interface PerUserRateLimiterOptions {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly store: RateLimitStoreClient;
  readonly events: QuotaBlockEvents;
}

/**
 * The per-user request limit on rate-limiter-flexible: in memory (one instance), or in the
 * PostgreSQL database or Redis that every instance shares, with this instance's memory as the
 * insurance limiter while the shared store cannot be reached.
 */
export function perUserRateLimiter(options: PerUserRateLimiterOptions): QuotaBlockRateLimiter {
  const { limit, windowSeconds, store, events } = options;
  // Instances configured with another limit (during a change of TASK_API_RATE_LIMIT) count apart.
  const limits = {
    points: limit,
    duration: windowSeconds,
    keyPrefix: `per-user:${limit}/${windowSeconds}`,
  };
  if (store.kind === 'memory') {
    return new QuotaBlockRateLimiter({
      store: new RateLimiterMemory(limits),
      fallback: null,
      storeName: 'memory',
      limit,
      windowSeconds,
      block: 1,
      events,
    });
  }
  const fallback = new MemoryFallbackLimiter(limits);
  const shared = { ...limits, insuranceLimiter: fallback };
  let limiter: RateLimiterAbstract;
  if (store.kind === 'postgresql') {
    limiter = new RateLimiterPostgres({
      ...shared,
      storeClient: store.knex,
      storeType: 'knex',
      tableName: RATE_LIMIT_TABLE,
      // The table is the migrations' (schema owned by MikroORM), its expired rows are purged by
      // the service's periodic job (purgeExpiredRateLimits).
      tableCreated: true,
      clearExpiredByTimeout: false,
    });
  } else {
    limiter = new RateLimiterRedis({
      ...shared,
      storeClient: store.client,
      // Not connected: the insurance limiter answers at once rather than a queue holding the request.
      rejectIfRedisNotReady: true,
    });
  }
  return new QuotaBlockRateLimiter({
    store: limiter,
    fallback,
    storeName: store.kind,
    limit,
    windowSeconds,
    block: quotaBlockFor(limit),
    events,
  });
}

/** Deletes the PostgreSQL store's rows whose window has ended; resolves to how many. */
export function purgeExpiredRateLimits(knex: Knex): Promise<number> {
  return knex(RATE_LIMIT_TABLE).where('expire', '<', Date.now()).delete();
}
