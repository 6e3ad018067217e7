import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { startPeriodicJob } from '../../../src/infrastructure/system/periodic-job.js';

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: { job: string; message: string }[] = [];
  const logger = pino({ level: 'silent' });
  logger.warn = ((fields: { job: string }, message: string) => {
    warnings.push({ job: fields.job, message });
  }) as typeof logger.warn;
  return { logger, warnings };
}

/** A run that lasts until `finish()` is called. */
function slowWork() {
  let finish = () => {};
  let runs = 0;
  const work = () => {
    runs += 1;
    return new Promise<void>((resolve) => (finish = resolve));
  };
  return { work, finish: () => finish(), runs: () => runs };
}

describe('startPeriodicJob', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs first after everyMs, then every everyMs', async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    const job = startPeriodicJob({ name: 'count', everyMs: 1_000, logger }, async () => {
      runs += 1;
    });
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(3);
    await job.stop();
  });

  it('runs first after firstRunAfterMs when given (0: at once)', async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    const job = startPeriodicJob(
      { name: 'count', everyMs: 1_000, firstRunAfterMs: 0, logger },
      async () => {
        runs += 1;
      },
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    await job.stop();
  });

  it('keeps its pace when a run takes part of the interval', async () => {
    const { logger } = recordingLogger();
    const slow = slowWork();
    const job = startPeriodicJob({ name: 'slow', everyMs: 100, logger }, slow.work);
    await jest.advanceTimersByTimeAsync(140);
    expect(slow.runs()).toBe(1);
    slow.finish();
    await jest.advanceTimersByTimeAsync(59);
    expect(slow.runs()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(slow.runs()).toBe(2);
    slow.finish();
    await job.stop();
  });

  it('never starts a run while one is under way; the next starts when an overlong one ends', async () => {
    const { logger } = recordingLogger();
    const slow = slowWork();
    const job = startPeriodicJob({ name: 'slow', everyMs: 100, logger }, slow.work);
    await jest.advanceTimersByTimeAsync(100);
    expect(slow.runs()).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(slow.runs()).toBe(1);
    slow.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(slow.runs()).toBe(2);
    slow.finish();
    await job.stop();
  });

  it('waits longer by a random share of jitterMs', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const { logger } = recordingLogger();
    let runs = 0;
    const job = startPeriodicJob(
      { name: 'count', everyMs: 1_000, jitterMs: 200, logger },
      async () => {
        runs += 1;
      },
    );
    await jest.advanceTimersByTimeAsync(1_099);
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await job.stop();
  });

  it('logs a failed run, thrown or rejected, and runs again at its next time', async () => {
    const { logger, warnings } = recordingLogger();
    let runs = 0;
    const job = startPeriodicJob({ name: 'flaky', everyMs: 100, logger }, () => {
      runs += 1;
      if (runs === 1) throw new Error('thrown');
      return Promise.reject(new Error('rejected'));
    });
    await jest.advanceTimersByTimeAsync(200);
    expect(runs).toBe(2);
    expect(warnings).toEqual([
      { job: 'flaky', message: expect.stringContaining('failed') },
      { job: 'flaky', message: expect.stringContaining('failed') },
    ]);
    await job.stop();
  });

  it('stops: waits for the run under way, and starts no other', async () => {
    const { logger } = recordingLogger();
    const slow = slowWork();
    const job = startPeriodicJob({ name: 'slow', everyMs: 100, logger }, slow.work);
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    slow.finish();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(slow.runs()).toBe(1);
  });

  it('stops before its first run: no run ever starts', async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    const job = startPeriodicJob({ name: 'count', everyMs: 100, logger }, async () => {
      runs += 1;
    });
    await job.stop();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(0);
  });

  it('does not keep the process alive', () => {
    const { logger } = recordingLogger();
    jest.useRealTimers();
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    const job = startPeriodicJob({ name: 'idle', everyMs: 60_000, logger }, async () => {});
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    return job.stop();
  });
});
