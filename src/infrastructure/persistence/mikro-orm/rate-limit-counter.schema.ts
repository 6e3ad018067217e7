import { EntitySchema } from '@mikro-orm/core';

/**
 * A row of `task_api_rate_limit`, PostgreSQL only: rate-limiter-flexible's RateLimiterPostgres
 * counts each user's requests of the current window in it (the shared per-user limit), with
 * its own upsert; the schema is described here so that the migrations own it.
 */
export interface RateLimitCounterRow {
  /** The limiter's key prefix and the user id. */
  key: string;
  /** Requests counted in the window (quota blocks taken, past the limit too). */
  points: number;
  /** When the window ends, in milliseconds since the epoch. */
  expire: string | null;
}

export const RateLimitCounterSchema = new EntitySchema<RateLimitCounterRow>({
  name: 'RateLimitCounter',
  tableName: 'task_api_rate_limit',
  properties: {
    key: { type: 'string', length: 255, primary: true },
    points: { type: 'integer', default: 0 },
    expire: { type: 'bigint', nullable: true },
  },
});
