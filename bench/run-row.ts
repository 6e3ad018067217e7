import type pg from 'pg';
import type { Caller } from './auth-client.js';
import { runLoad, type LoadRequest, type LoadResult } from './load.js';
import type { HttpRow, VerifierRow } from './rows.js';
import { newestTaskOf, prepareTasks } from './seed.js';
import { runQueueWaitMs, scrape, signalsBetween, type ServiceSignals } from './service-signals.js';
import type { BenchService } from './services.js';
import { DEFAULT_TASKS, type BenchSettings } from './settings.js';
import { timeVerifier, type VerifierResult } from './verifier-timer.js';

/** What a row runs with: its service, already listening, and the seeded caller. */
export interface RowContext {
  readonly settings: BenchSettings;
  readonly db: pg.Client;
  readonly service: BenchService;
  readonly caller: Caller;
}

export interface HttpResult extends LoadResult {
  /**
   * CPU time of this process (the service's, all threads) per request answered: on a quiet
   * machine it moves less than requests/s do.
   */
  readonly cpuMicrosPerRequest: number;
  /** What the service's own metrics said during the measured load; null when they are off. */
  readonly signals: ServiceSignals | null;
}

export async function runHttpRow(
  row: HttpRow,
  context: RowContext,
  warmupSeconds: number,
): Promise<HttpResult> {
  const { settings, db, service, caller } = context;
  await prepareTasks(db, caller.id, row.tasks ?? DEFAULT_TASKS);
  const request = row.request({
    url: service.url,
    userId: caller.id,
    token: await service.credential(caller),
    taskId: await newestTaskOf(db, caller.id),
  });
  await probe(request);
  const { connections } = settings;
  await runLoad({ request, connections, seconds: warmupSeconds });
  const { metricsUrl } = service;
  const scraped = metricsUrl ? await scrape(metricsUrl) : null;
  const waitedBefore = runQueueWaitMs();
  const before = process.cpuUsage();
  const result = await runLoad({ request, connections, seconds: settings.durationSeconds });
  const cpu = process.cpuUsage(before);
  const waited = { ms: runQueueWaitMs() - waitedBefore, seconds: settings.durationSeconds };
  const signals =
    metricsUrl && scraped ? signalsBetween(scraped, await scrape(metricsUrl), waited) : null;
  const cpuMicrosPerRequest = Math.round((cpu.user + cpu.system) / Math.max(1, result.requests));
  return { ...result, cpuMicrosPerRequest, signals };
}

export async function runVerifierRow(
  row: VerifierRow,
  context: RowContext,
): Promise<VerifierResult> {
  const { settings, service, caller } = context;
  let next: () => string | undefined;
  if (row.tokens === 'new') {
    if (!service.mintTokens) {
      throw new Error(`${row.id}: the ${row.service} service mints no tokens`);
    }
    const tokens = await service.mintTokens(caller, settings.newTokens);
    let index = 0;
    next = () => tokens[index++];
  } else {
    const token = await service.credential(caller);
    next = () => token;
  }
  return timeVerifier(service.verifier, caller.id, next, settings.verifierSeconds);
}

/** One request before the load: a row whose requests fail would only time the failure. */
async function probe(request: LoadRequest): Promise<void> {
  const method = request.method ?? 'GET';
  const res = await fetch(request.url, { method, headers: request.headers, body: request.body });
  const body = await res.text();
  if (!res.ok) throw new Error(`${method} ${request.url} answered ${res.status}: ${body}`);
}
