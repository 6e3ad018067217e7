import type { Logger } from 'pino';

export interface PeriodicJob {
  stop(): void;
}

/**
 * Runs `work` every `everyMs` in the background, never two runs at once; a failed run is logged
 * and the next one tries again. The timer never keeps the process alive.
 */
export function startPeriodicJob(
  name: string,
  everyMs: number,
  work: () => Promise<unknown>,
  logger: Logger,
): PeriodicJob {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch((error: unknown) => logger.warn({ job: name, err: error }, 'background job failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
