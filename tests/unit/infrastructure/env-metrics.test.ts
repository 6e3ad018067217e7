import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/infrastructure/config/config-error.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';

const TOKEN = 'a'.repeat(32);

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('METRICS_PORT, METRICS_HOST and METRICS_TOKEN', () => {
  it('leave metrics off by default', () => {
    expect(loadConfig({}).metrics).toBeNull();
  });

  it('METRICS_PORT alone: a listener of its own on 127.0.0.1, no token', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({
      listener: { host: '127.0.0.1', port: 9464 },
      token: null,
    });
  });

  it('METRICS_HOST binds that listener elsewhere', () => {
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
      listener: { host: '0.0.0.0', port: 9464 },
      token: null,
    });
  });

  it('METRICS_TOKEN alone: /metrics on the API port, for that token only', () => {
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics).toEqual({ listener: null, token: TOKEN });
  });

  it.each([
    [{ METRICS_PORT: 'nine' }, /^METRICS_PORT: must be a port number/],
    [{ METRICS_PORT: '70000' }, /^METRICS_PORT: must be between 0 and 65535/],
    [{ METRICS_PORT: '8000' }, /^METRICS_PORT: must differ from PORT/],
    [{ PORT: '9000', METRICS_PORT: '9000' }, /^METRICS_PORT: must differ from PORT/],
    [{ METRICS_HOST: '0.0.0.0' }, /^METRICS_HOST: has no effect without METRICS_PORT/],
    [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN: must be at least 32 printable ASCII/],
    [{ METRICS_TOKEN: `${'a'.repeat(31)} b` }, /^METRICS_TOKEN: must be at least 32 printable/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});
