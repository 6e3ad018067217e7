import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import { pino } from 'pino';
import { loadConfig } from '../src/infrastructure/config/env.js';
import { startServer, type RunningServer } from '../src/server.js';
import { fetchJwt, signUp } from './auth-client.js';
import { createBenchDatabase } from './bench-database.js';
import { BENCH_AUTH_URL, BENCH_SECRET } from './settings.js';

/**
 * Issue 20's live rows, apart from the regression rows: the time from a write sent to instance A
 * to its event on a stream of instance B (two instances on one PostgreSQL database, NOTIFY
 * between them), and the memory instance B holds per open stream at 1 000 streams.
 * `npm run bench:live` (LIVE_WRITES, LIVE_STREAMS change the counts). Heap, not RSS: a full
 * collection may hand pages back to the system between the two readings.
 */
const WRITES = Number(process.env.LIVE_WRITES ?? 300);
const STREAMS = Number(process.env.LIVE_STREAMS ?? 1_000);
const progress = (what: string) => process.stderr.write(`live-events: ${what}\n`);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const database = await createBenchDatabase(adminUrl);
const instances: RunningServer[] = [];
try {
  const env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    WEB_UI: 'false',
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: BENCH_SECRET,
    BETTER_AUTH_URL: BENCH_AUTH_URL,
    TASK_API_RATE_LIMIT: '0',
    MAX_CONNECTIONS: String(STREAMS * 2),
    MAX_EVENT_STREAMS: String(STREAMS + 10),
    MAX_EVENT_STREAMS_PER_USER: String(STREAMS + 10),
  };
  const logger = pino({ level: 'warn' });
  const a = await startServer(loadConfig(env), { logger });
  instances.push(a);
  const b = await startServer(loadConfig(env), { logger });
  instances.push(b);
  const caller = await signUp(a.url);
  const token = await fetchJwt(a.url, caller);
  progress('signed up');

  // Latency: one stream on B, writes on A one after another, each timed until its event.
  const waiting = new Map<string, (at: number) => void>();
  const stream = await fetch(`${b.url}/api/${caller.id}/tasks/events`, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
  });
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const parser = createParser({
    onEvent(event) {
      if (event.event === 'ready') ready();
      if (event.event !== 'task') return;
      const { title } = JSON.parse(event.data) as { title: string };
      waiting.get(title)?.(performance.now());
    },
  });
  const reader = stream.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  })().catch(() => undefined);
  await isReady;
  progress('stream on B ready');
  const latencies: number[] = [];
  for (let i = 0; i < WRITES; i += 1) {
    const title = `Live ${i}`;
    const seen = new Promise<number>((resolve) => waiting.set(title, resolve));
    const sent = performance.now();
    const res = await fetch(`${a.url}/api/${caller.id}/tasks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ title }),
    });
    if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
    latencies.push((await seen) - sent);
    waiting.delete(title);
  }
  progress('writes timed');
  void reader?.cancel().catch(() => undefined);
  latencies.sort((x, y) => x - y);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;

  // Memory: B's heap with 1 000 streams open (their readers in another process).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  gc();
  const before = process.memoryUsage();
  const clients = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('./stream-clients.js', import.meta.url)),
      b.url,
      caller.id,
      token,
      String(STREAMS),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    clients.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`open ${STREAMS}`)) resolve();
    });
    clients.once('exit', (code) => reject(new Error(`the readers stopped: ${code}`)));
  });
  progress('streams open');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  gc();
  const after = process.memoryUsage();
  clients.stdin.end();

  const kib = (bytes: number) => (bytes / 1024 / STREAMS).toFixed(1);
  console.log('| Row | Result |');
  console.log('| --- | ---: |');
  console.log(`| write on A → event on B, p50 (${WRITES} writes) | ${at(0.5).toFixed(1)} ms |`);
  console.log(`| write on A → event on B, p99 | ${at(0.99).toFixed(1)} ms |`);
  console.log(
    `| heap per open stream at ${STREAMS} (B) | ${kib(after.heapUsed - before.heapUsed)} KiB |`,
  );
  console.log(
    `| RSS per open stream at ${STREAMS} (B, and A idle) | ${kib(after.rss - before.rss)} KiB |`,
  );
} finally {
  for (const instance of instances) await instance.close().catch(() => undefined);
  await database.drop();
}
