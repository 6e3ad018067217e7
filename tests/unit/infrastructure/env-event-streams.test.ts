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

describe('MAX_EVENT_STREAMS_PER_USER and MAX_EVENT_STREAMS', () => {
  it('default to 10 per user, and 5 000 within three quarters of MAX_CONNECTIONS', () => {
    expect(loadConfig({}).eventStreams).toEqual({ maxPerUser: 10, max: 750 });
    expect(loadConfig({ MAX_CONNECTIONS: '10000' }).eventStreams).toEqual({
      maxPerUser: 10,
      max: 5000,
    });
  });

  it('take whole numbers, the instance’s below MAX_CONNECTIONS', () => {
    expect(
      loadConfig({ MAX_EVENT_STREAMS_PER_USER: '3', MAX_EVENT_STREAMS: '900' }).eventStreams,
    ).toEqual({ maxPerUser: 3, max: 900 });
    expect(problemsOf({ MAX_EVENT_STREAMS_PER_USER: '0' })).toEqual([
      expect.stringContaining('MAX_EVENT_STREAMS_PER_USER'),
    ]);
    expect(problemsOf({ MAX_EVENT_STREAMS: 'many' })).toEqual([
      expect.stringContaining('MAX_EVENT_STREAMS'),
    ]);
    expect(problemsOf({ MAX_EVENT_STREAMS: '1000' })).toEqual([
      expect.stringMatching(/MAX_EVENT_STREAMS.*below MAX_CONNECTIONS \(1000\)/),
    ]);
  });
});
