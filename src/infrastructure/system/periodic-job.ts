import type { Logger } from 'pino';

export interface PeriodicSchedule {
  /** Time from the start of one run to the start of the next (or its end, if it lasts longer). */
  readonly everyMs: number;
  /** Time from the start of the job to its first run (default: everyMs). */
  readonly firstRunAfterMs?: number;
  /**
   * Each wait is longer by a random share of this (default 0), so that instances started
   * together do not all run at the same moment.
   */
  readonly jitterMs?: number;
}

export interface PeriodicJobOptions extends PeriodicSchedule {
  /** Names the job in the log. */
  readonly name: string;
  readonly logger: Logger;
}

export interface PeriodicJob {
  /** No run starts after this; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/**
 * Every background loop of the service: runs `work` on a schedule, never two runs at once: a run
 * that outlasts `everyMs` is followed by the next as soon as it ends. A failed run is logged, never
 * thrown, and the next one tries again. The timer never keeps the process alive.
 */
export function startPeriodicJob(
  options: PeriodicJobOptions,
  work: () => Promise<unknown>,
): PeriodicJob {
  const { name, everyMs, jitterMs = 0, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const schedule = (waitMs: number) => {
    timer = setTimeout(run, waitMs + Math.random() * jitterMs);
    timer.unref();
  };
  const run = () => {
    const startedAt = performance.now();
    running = (async () => work())()
      .then(
        () => undefined,
        (error: unknown) =>
          logger.warn(
            { job: name, err: error },
            'background job failed; it runs again at its next time',
          ),
      )
      .finally(() => {
        running = null;
        if (!stopped) schedule(Math.max(0, startedAt + everyMs - performance.now()));
      });
  };

  schedule(options.firstRunAfterMs ?? everyMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
