import { readFileSync } from 'node:fs';

/**
 * What a service's own metrics (prom-client, GET /metrics) said about the measured part of a row:
 * the pauses and waits that make a tail. Scraped right before the measured load (which also
 * restarts Node's event-loop delay histogram: prom-client resets it at each scrape) and right
 * after it.
 */
export interface ServiceSignals {
  /** Young-generation collections (scavenges): how many, and their total pause. */
  readonly minorGcs: number;
  readonly minorGcMs: number;
  /** Mark-compact and incremental-marking pauses: how many, and their total pause. */
  readonly majorGcs: number;
  readonly majorGcMs: number;
  /** Event-loop delay during the load (sampled every 10 ms): p99 and the worst. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Connection acquires from the pool, and the share that waited over 1 ms for one. */
  readonly acquires: number;
  readonly acquiresOver1MsPercent: number;
  /** Upper bound of the bucket holding the 99th percentile acquire. */
  readonly acquireP99Ms: number;
  /**
   * Time the service's main thread (its event loop) was ready to run but waited for a CPU, per
   * second of load (Linux's /proc/self/schedstat; not a metric of the service): what the rest of
   * the machine took from it.
   */
  readonly runQueueWaitMsPerSecond: number;
}

/** The main thread's run-queue wait so far, in ms (0 where /proc is not Linux's). */
export function runQueueWaitMs(): number {
  try {
    const fields = readFileSync('/proc/self/schedstat', 'utf8').split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return 0;
  }
}

type Samples = Map<string, number>;

/** Reads the text at `url` into `name{labels}` → value. */
export async function scrape(url: string): Promise<Samples> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const samples: Samples = new Map();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    samples.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return samples;
}

/** What the metrics scraped before and after the load say, and the run-queue wait meanwhile. */
export function signalsBetween(
  before: Samples,
  after: Samples,
  waited: { readonly ms: number; readonly seconds: number },
): ServiceSignals {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const gc = (kind: string) => ({
    count: delta(`nodejs_gc_duration_seconds_count{kind="${kind}"}`),
    ms: delta(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1000,
  });
  const minor = gc('minor');
  const [major, incremental] = [gc('major'), gc('incremental')];
  const buckets = [...after.keys()]
    .filter((key) => key.startsWith('task_api_db_pool_acquire_seconds_bucket{'))
    .map((key) => ({ le: Number(/le="([^"]+)"/.exec(key)?.[1]), count: delta(key) }))
    .sort((a, b) => a.le - b.le);
  const acquires = delta('task_api_db_pool_acquire_seconds_count');
  const within1Ms = buckets.find((bucket) => bucket.le === 0.001)?.count ?? acquires;
  const p99 = buckets.find((bucket) => bucket.count >= acquires * 0.99)?.le ?? Number.NaN;
  const ms = (seconds: number) => Math.round(seconds * 10_000) / 10;
  return {
    minorGcs: minor.count,
    minorGcMs: Math.round(minor.ms * 10) / 10,
    majorGcs: major.count + incremental.count,
    majorGcMs: Math.round((major.ms + incremental.ms) * 10) / 10,
    loopDelayP99Ms: ms(after.get('nodejs_eventloop_lag_p99_seconds') ?? Number.NaN),
    loopDelayMaxMs: ms(after.get('nodejs_eventloop_lag_max_seconds') ?? Number.NaN),
    acquires,
    acquiresOver1MsPercent:
      acquires === 0 ? 0 : Math.round(((acquires - within1Ms) / acquires) * 1000) / 10,
    acquireP99Ms: ms(p99),
    runQueueWaitMsPerSecond: Math.round((waited.ms / waited.seconds) * 10) / 10,
  };
}
