import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/infrastructure/config/config-error.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('tracing (the standard OTEL_* variables)', () => {
  it('is off by default', () => {
    expect(loadConfig({}).tracing).toBe(false);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/v1/traces' }],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }],
    [{ OTEL_TRACES_EXPORTER: 'console,otlp' }],
    [
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
    ],
  ])('is on with %j', (env) => {
    expect(loadConfig(env).tracing).toBe(true);
  });

  it.each([
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }],
  ])('stays off with %j', (env) => {
    expect(loadConfig(env).tracing).toBe(false);
  });

  it.each([
    [{ OTEL_TRACES_EXPORTER: 'jaeger' }, /^OTEL_TRACES_EXPORTER: must list exporters among/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT: must be/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'json' }, /^OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/pro/],
    [{ OTEL_TRACES_SAMPLER: 'ratio' }, /^OTEL_TRACES_SAMPLER: must be a sampler/],
    [{ OTEL_TRACES_SAMPLER_ARG: '10%' }, /^OTEL_TRACES_SAMPLER_ARG: must be a ratio/],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /^OTEL_TRACES_SAMPLER_ARG: must be a ratio/],
    [{ OTEL_SDK_DISABLED: 'yes' }, /^OTEL_SDK_DISABLED: must be true or false/],
  ])('%j stops the process naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});
