import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { signUp, type Caller } from './auth-client.js';
import { createBenchDatabase, serverVersion, type BenchDatabase } from './bench-database.js';
import { stopLoad } from './load.js';
import { formatReport, type RunReport } from './report.js';
import { HTTP_ROWS, VERIFIER_ROWS } from './rows.js';
import { runHttpRow, runVerifierRow, type RowContext } from './run-row.js';
import { seed } from './seed.js';
import { SERVICES, type BenchService, type ServiceName } from './services.js';
import { benchSettings } from './settings.js';

/**
 * `npm run bench [-- --quick]`: a fresh database, each row against its service (in this
 * process, one at a time), the load from a child process; prints the report, always cleans up.
 */
const settings = benchSettings(process.argv.slice(2));
const verifierRows = selected(VERIFIER_ROWS);
const httpRows = selected(HTTP_ROWS);
// Every service runs in this process: a full collection before each row keeps one row's garbage
// (or a closed service's heap) from being collected during the next row's load.
const exposedGc = globalThis.gc;
if (!exposedGc) throw new Error('run with node --expose-gc (npm run bench does)');
const collectGarbage: () => void = exposedGc;
const started = performance.now();
const elapsedSeconds = () => Math.round((performance.now() - started) / 1000);
const progress = (message: string) =>
  console.log(`[${String(elapsedSeconds()).padStart(4)} s] ${message}`);

let database: BenchDatabase | null = null;
let running: { readonly name: ServiceName; readonly service: BenchService } | null = null;
/** The services' request log: removed at the end, kept when the run fails. */
let log: { readonly path: string; keep: boolean } | null = null;
let cleaning: Promise<void> | null = null;
/** Stops the load and the service, and drops the run's database, whatever happened. */
const cleanup = () =>
  (cleaning ??= (async () => {
    stopLoad();
    await running?.service
      .close()
      .catch((error: unknown) => console.error('stopping the service failed', error));
    await database
      ?.drop()
      .catch((error: unknown) => console.error('dropping the database failed', error));
    if (log && !log.keep) rmSync(log.path, { force: true });
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the service and dropping the database`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  database = await createBenchDatabase(settings.adminDatabaseUrl);
  // The request log goes to a file, as production's stdout would, never to this terminal.
  log = { path: join(tmpdir(), `${database.name}.log`), keep: false };
  const logger = pino({ level: settings.serviceLogLevel }, pino.destination(log.path));
  progress(`database ${database.name}, ${settings.quick ? 'quick' : 'full'} mode`);
  const report = await runRows(database, logger);
  console.log(`\n${formatReport(report)}\n`);
} catch (error) {
  if (log) {
    log.keep = true;
    console.error(`The services' log is kept in ${log.path}`);
  }
  throw error;
} finally {
  await cleanup();
}
process.exit(0);

async function runRows(db: BenchDatabase, logger: Logger): Promise<RunReport> {
  let caller: Caller | null = null;
  /** The row's service, started once for consecutive rows on it; the previous one is stopped. */
  const contextFor = async (name: ServiceName): Promise<RowContext> => {
    if (running?.name !== name) {
      await running?.service.close();
      running = null; // closed: not to be closed again if the next one fails to start
      const context = { databaseUrl: db.url, logger, metrics: settings.metrics };
      running = { name, service: await SERVICES[name](context) };
    }
    const { service } = running;
    // The first service migrated the database: the caller signs up through it, as users do.
    if (!caller) {
      caller = await signUp(service.url);
      await seed(db.client, caller.id);
    }
    return { settings, db: db.client, service, caller };
  };

  const verifiers: RunReport['verifiers'][number][] = [];
  for (const row of verifierRows) {
    const context = await contextFor(row.service);
    collectGarbage();
    const result = await runVerifierRow(row, context);
    verifiers.push({ row, result });
    progress(`${row.id}: ${result.microsPerCall} µs per call (${result.calls} calls)`);
  }
  const http: RunReport['http'][number][] = [];
  for (const [index, row] of httpRows.entries()) {
    const context = await contextFor(row.service);
    collectGarbage();
    const warmup = index === 0 ? settings.firstWarmupSeconds : settings.warmupSeconds;
    const result = await runHttpRow(row, context, warmup);
    http.push({ row, result });
    progress(
      `${row.id}: ${result.requestsPerSecond} req/s, p99 ${result.p99Ms} ms, ${result.errors} errors`,
    );
  }
  await running?.service.close();
  running = null;
  return {
    settings,
    date: new Date(),
    elapsedSeconds: elapsedSeconds(),
    postgresVersion: await serverVersion(db.client),
    verifiers,
    http,
  };
}

/** The rows BENCH_ROWS names, in table order (all without it); an unknown id stops the run. */
function selected<Row extends { readonly id: string }>(rows: readonly Row[]): readonly Row[] {
  const wanted = settings.rows;
  if (!wanted) return rows;
  const known = new Set([...VERIFIER_ROWS, ...HTTP_ROWS].map((row) => row.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`BENCH_ROWS: no row ${unknown.join(', ')}`);
  return rows.filter((row) => wanted.includes(row.id));
}
