import autocannon from 'autocannon';
import type { LoadRequest, LoadResult, LoadSpec } from './load.js';

/**
 * The load generator, a child of the driver: autocannon with `connections` keep-alive
 * connections, one request in flight on each, for `seconds`. Reads its LoadSpec as JSON on
 * stdin, prints a LoadResult as JSON.
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const spec = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadSpec;
process.stdout.write(JSON.stringify(await drive(spec.request, spec.connections, spec.seconds)));

async function drive(request: LoadRequest, connections: number, seconds: number) {
  // Every response time, kept here: autocannon's own histogram rounds to whole milliseconds.
  const latenciesMs: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        method: request.method ?? 'GET',
        headers: request.headers ?? {},
        body: request.body,
        idReplacement: request.idReplacement ?? false,
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
  latenciesMs.sort((a, b) => a - b);
  const summary: LoadResult = {
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    requests: result.requests.total,
    errors: result.non2xx + result.errors,
  };
  return summary;
}

/** Nearest-rank percentile of sorted values, to 0.1 ms. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return Math.round(value * 10) / 10;
}
