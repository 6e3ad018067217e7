import autocannon from 'autocannon';

export interface LoadRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

/** What one stretch of load brought back; slices of the same row are merged by `summarize`. */
export interface LoadSlice {
  readonly seconds: number;
  readonly requests: number;
  /** Every response time, in ms (autocannon's own histogram keeps whole milliseconds only). */
  readonly latenciesMs: number[];
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly timeouts: number;
}

/** One measured row: throughput, latency and everything that was not a 2xx answer. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Non-2xx answers plus connection errors (timeouts included). */
  readonly errors: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly timeouts: number;
  /** Requests/s of each slice, in the order they ran: how much the row moved during the run. */
  readonly slices: number[];
}

/** The same load for `warmupSeconds`, results discarded: JIT, pools and caches settle first. */
export async function warmUp(request: LoadRequest, options: LoadOptions): Promise<void> {
  if (options.warmupSeconds > 0) await drive(request, options.connections, options.warmupSeconds);
}

/** `connections` keep-alive connections for `durationSeconds`, each sending as answers come. */
export async function measure(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  return summarize([await drive(request, options.connections, options.durationSeconds)]);
}

export async function drive(
  request: LoadRequest,
  connections: number,
  seconds: number,
): Promise<LoadSlice> {
  const latenciesMs: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        method: request.method ?? 'GET',
        headers: request.headers ?? {},
        body: request.body,
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latenciesMs.push(responseTime);
    });
  });
  return {
    seconds: result.duration,
    requests: result.requests.total,
    latenciesMs,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
  };
}

export function summarize(slices: readonly LoadSlice[]): LoadResult {
  const sum = (pick: (slice: LoadSlice) => number) => slices.reduce((n, s) => n + pick(s), 0);
  const latencies = slices.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const non2xx = sum((s) => s.non2xx);
  const socketErrors = sum((s) => s.socketErrors);
  return {
    requestsPerSecond: Math.round(sum((s) => s.requests) / sum((s) => s.seconds)),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    requests: sum((s) => s.requests),
    errors: non2xx + socketErrors,
    non2xx,
    socketErrors,
    timeouts: sum((s) => s.timeouts),
    slices: slices.map((s) => Math.round(s.requests / s.seconds)),
  };
}

/** Nearest-rank percentile of sorted values, to 0.1 ms. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return Math.round(value * 10) / 10;
}
