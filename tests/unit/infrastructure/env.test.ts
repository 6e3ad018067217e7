import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/infrastructure/config/config-error.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';

const SECRET = 's'.repeat(32);

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to port 8000, all interfaces, embedded SQLite and a localhost auth URL', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(config.database).toEqual({
      kind: 'sqlite',
      path: expect.stringMatching(/data\/app\.sqlite$/),
    });
    expect(config.authUrl).toBe('http://localhost:8000');
    expect(config.authSecret).toBeNull();
    expect(config.corsOrigins).toEqual([]);
  });

  it('follows PORT in the default BETTER_AUTH_URL', () => {
    expect(loadConfig({ PORT: '9090' }).authUrl).toBe('http://localhost:9090');
  });

  it('reads PostgreSQL (Neon included) from DATABASE_URL', () => {
    const url = 'postgresql://u:p@ep-cool-name.eu-central-1.aws.neon.tech/db?sslmode=require';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
  });

  it('splits CORS_ORIGINS and trims the entries', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: ' ', BETTER_AUTH_SECRET: '' }).database.kind).toBe('sqlite');
  });

  it('requires BETTER_AUTH_SECRET in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^BETTER_AUTH_SECRET: is required when NODE_ENV=production/),
    ]);
    expect(loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: SECRET }).authSecret).toBe(
      SECRET,
    );
  });

  it.each([
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ BETTER_AUTH_URL: 'not a url' }, 'BETTER_AUTH_URL'],
    [{ BETTER_AUTH_URL: 'ftp://example.com' }, 'BETTER_AUTH_URL'],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, 'CORS_ORIGINS'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('names the variable in %j', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(`${variable}`)).toBe(true);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', DATABASE_URL: 'mysql://x' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL']);
  });
});
