import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/infrastructure/config/config-error.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';

const PRODUCTION = { NODE_ENV: 'production', BETTER_AUTH_SECRET: 's'.repeat(32) };

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('production means TLS', () => {
  it.each(['http://api.example.com', 'http://10.0.0.5:8000', 'http://127.0.0.2'])(
    'refuses BETTER_AUTH_URL=%s in production, naming the variable',
    (url) => {
      expect(problemsOf({ ...PRODUCTION, BETTER_AUTH_URL: url })).toEqual([
        expect.stringMatching(/^BETTER_AUTH_URL: must be an https: URL when NODE_ENV=production/),
      ]);
    },
  );

  it('refuses it with AUTH_EMBEDDED=false too: it is still the default audience', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_EMBEDDED: 'false',
      AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks',
      AUTH_ISSUER: 'https://app.example.com',
      BETTER_AUTH_URL: 'http://api.example.com',
    });
    expect(problems).toEqual([expect.stringMatching(/^BETTER_AUTH_URL: must be an https: URL/)]);
  });

  it.each([
    'https://api.example.com',
    'http://localhost:8000',
    'http://127.0.0.1:8000',
    'http://[::1]:8000',
  ])('accepts BETTER_AUTH_URL=%s in production', (url) => {
    expect(loadConfig({ ...PRODUCTION, BETTER_AUTH_URL: url }).publicUrl).toBe(url);
  });

  it('accepts http: outside production', () => {
    expect(loadConfig({ BETTER_AUTH_URL: 'http://api.example.com' }).publicUrl).toBe(
      'http://api.example.com',
    );
  });
});

describe('MAX_CONNECTIONS and TASK_API_RATE_LIMIT', () => {
  it('default to 1000 connections and 600 requests a minute', () => {
    const config = loadConfig({});
    expect(config.maxConnections).toBe(1000);
    expect(config.taskApiRateLimit).toBe(600);
  });

  it('take whole numbers; 0 turns the rate limit off', () => {
    const config = loadConfig({ MAX_CONNECTIONS: '50', TASK_API_RATE_LIMIT: '0' });
    expect(config.maxConnections).toBe(50);
    expect(config.taskApiRateLimit).toBe(0);
  });

  it.each([
    [{ MAX_CONNECTIONS: '0' }, /^MAX_CONNECTIONS: must be at least 1/],
    [{ MAX_CONNECTIONS: 'lots' }, /^MAX_CONNECTIONS: must be a whole number/],
    [{ MAX_CONNECTIONS: '-5' }, /^MAX_CONNECTIONS: must be a whole number/],
    [{ TASK_API_RATE_LIMIT: '1.5' }, /^TASK_API_RATE_LIMIT: must be a whole number/],
    [{ TASK_API_RATE_LIMIT: 'off' }, /^TASK_API_RATE_LIMIT: must be a whole number.*0 turns/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});

describe('REQUEST_TIMEOUT_SECONDS, MAX_IN_FLIGHT and the shutdown timings', () => {
  it('default to 10 s, 20 requests per pooled connection, a 5 s delay and 20 s of grace', () => {
    const config = loadConfig({});
    expect(config.requestTimeoutSeconds).toBe(10);
    expect(config.maxInFlight).toBe(200);
    expect(config.shutdown).toEqual({ delaySeconds: 5, graceSeconds: 20 });
  });

  it('size MAX_IN_FLIGHT from DATABASE_POOL_SIZE unless it is set', () => {
    const database = { DATABASE_URL: 'postgres://app@db.example.com/app' };
    expect(loadConfig({ ...database, DATABASE_POOL_SIZE: '4' }).maxInFlight).toBe(80);
    expect(
      loadConfig({ ...database, DATABASE_POOL_SIZE: '4', MAX_IN_FLIGHT: '7' }).maxInFlight,
    ).toBe(7);
  });

  it('take whole numbers of seconds; a delay of 0 closes the listener at once', () => {
    const config = loadConfig({
      REQUEST_TIMEOUT_SECONDS: '3',
      SHUTDOWN_DELAY_SECONDS: '0',
      SHUTDOWN_GRACE_SECONDS: '3',
    });
    expect(config.requestTimeoutSeconds).toBe(3);
    expect(config.shutdown).toEqual({ delaySeconds: 0, graceSeconds: 3 });
  });

  it.each([
    [{ REQUEST_TIMEOUT_SECONDS: '0' }, /^REQUEST_TIMEOUT_SECONDS: must be between 1 and 300/],
    [{ REQUEST_TIMEOUT_SECONDS: '2.5' }, /^REQUEST_TIMEOUT_SECONDS: must be a whole number/],
    [{ MAX_IN_FLIGHT: '0' }, /^MAX_IN_FLIGHT: must be at least 1/],
    [{ MAX_IN_FLIGHT: 'many' }, /^MAX_IN_FLIGHT: must be a whole number/],
    [{ SHUTDOWN_DELAY_SECONDS: '-1' }, /^SHUTDOWN_DELAY_SECONDS: must be a whole number/],
    [{ SHUTDOWN_GRACE_SECONDS: '700' }, /^SHUTDOWN_GRACE_SECONDS: must be between 1 and 600/],
    [
      { SHUTDOWN_GRACE_SECONDS: '5' },
      /^SHUTDOWN_GRACE_SECONDS: must be at least REQUEST_TIMEOUT_SECONDS \(10\)/,
    ],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});

describe('CHANGE_RETENTION_DAYS', () => {
  it('defaults to 30 days and takes a whole number of days', () => {
    expect(loadConfig({}).changeRetentionDays).toBe(30);
    expect(loadConfig({ CHANGE_RETENTION_DAYS: '7' }).changeRetentionDays).toBe(7);
  });

  it.each([
    [{ CHANGE_RETENTION_DAYS: '0' }, /^CHANGE_RETENTION_DAYS: must be at least 1 day/],
    [{ CHANGE_RETENTION_DAYS: '1.5' }, /^CHANGE_RETENTION_DAYS: must be a whole number of days/],
    [{ CHANGE_RETENTION_DAYS: 'month' }, /^CHANGE_RETENTION_DAYS: must be a whole number of days/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});

describe('MAX_IDEMPOTENCY_KEYS_PER_USER', () => {
  it('defaults to 1000 keys and takes a whole number', () => {
    expect(loadConfig({}).maxIdempotencyKeysPerUser).toBe(1000);
    expect(loadConfig({ MAX_IDEMPOTENCY_KEYS_PER_USER: '50' }).maxIdempotencyKeysPerUser).toBe(50);
  });

  it.each([
    [{ MAX_IDEMPOTENCY_KEYS_PER_USER: '0' }, /^MAX_IDEMPOTENCY_KEYS_PER_USER: must be at least 1/],
    [{ MAX_IDEMPOTENCY_KEYS_PER_USER: 'many' }, /^MAX_IDEMPOTENCY_KEYS_PER_USER: must be a whole/],
    [{ MAX_IDEMPOTENCY_KEYS_PER_USER: '-1' }, /^MAX_IDEMPOTENCY_KEYS_PER_USER: must be a whole/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});
