import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/infrastructure/config/config-error.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';

const POSTGRES = { DATABASE_URL: 'postgres://app@db.example.com/tasks' };
const REDIS = { REDIS_URL: 'redis://:secret@cache.example.com:6379/0' };

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('RATE_LIMIT_STORE and REDIS_URL: where the per-user limit is counted', () => {
  it('defaults to memory on the embedded SQLite database (one instance)', () => {
    expect(loadConfig({}).rateLimitStore).toEqual({ kind: 'memory' });
  });

  it('defaults to the PostgreSQL database every instance shares', () => {
    expect(loadConfig(POSTGRES).rateLimitStore).toEqual({ kind: 'database' });
  });

  it('defaults to Redis when REDIS_URL is set, on either database', () => {
    expect(loadConfig(REDIS).rateLimitStore).toEqual({ kind: 'redis', url: REDIS.REDIS_URL });
    expect(loadConfig({ ...POSTGRES, ...REDIS }).rateLimitStore).toEqual({
      kind: 'redis',
      url: REDIS.REDIS_URL,
    });
  });

  it('takes an explicit choice', () => {
    expect(loadConfig({ ...POSTGRES, RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toEqual({
      kind: 'memory',
    });
    expect(
      loadConfig({ ...POSTGRES, ...REDIS, RATE_LIMIT_STORE: 'database' }).rateLimitStore,
    ).toEqual({ kind: 'database' });
    expect(loadConfig({ ...REDIS, RATE_LIMIT_STORE: 'redis' }).rateLimitStore.kind).toBe('redis');
  });

  it.each([
    [{ RATE_LIMIT_STORE: 'redis' }, /^RATE_LIMIT_STORE: =redis needs REDIS_URL/],
    [{ RATE_LIMIT_STORE: 'database' }, /^RATE_LIMIT_STORE: =database needs DATABASE_URL/],
    [{ RATE_LIMIT_STORE: 'cluster' }, /^RATE_LIMIT_STORE: must be one of memory, database, redis/],
    [
      { REDIS_URL: 'cache.example.com:6379' },
      /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    ],
    [
      { REDIS_URL: 'http://cache.example.com' },
      /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    ],
    [{ REDIS_URL: 'redis://cache.example.com:99999' }, /^REDIS_URL: is not a valid URL/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});
