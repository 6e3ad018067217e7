import { algorithmOf, fetchJwt, signUp } from './auth-client.js';
import { serverVersion, type BenchDatabase } from './bench-database.js';
import { cpuSnapshot } from './cpu-accounting.js';
import { interleave, type Contender } from './interleave.js';
import { warmUp, type LoadOptions, type LoadRequest, type LoadResult } from './load.js';
import { measured } from './measured-load.js';
import { describeMachine } from './machine.js';
import type { BenchResults, HttpRow, MemoryRecord } from './results.js';
import { scaleRows } from './scale-rows.js';
import {
  countTasks,
  growTasksTo,
  POSTED_TITLE,
  removePostedTasks,
  seedCallerTasks,
  seedUsers,
} from './seed.js';
import { startService, type ServiceProcess, type VerifierMode } from './service-process.js';
import { BENCH_AUTH_URL, BENCH_SECRET, SCALE_SIZES, type BenchSettings } from './settings.js';
import { evaluateTargets } from './targets.js';
import { runVerifierMicrobenchApart } from './verifier-microbench.js';

export interface ScenarioInput {
  readonly settings: BenchSettings;
  readonly database: BenchDatabase;
  readonly profileDir: string | null;
  readonly idleBeforeRun: number;
  readonly progress: (message: string) => void;
}

/**
 * Every row, in an order that keeps the data each one needs. The main EdDSA service lives through
 * the run (rows 1, 2, 5, 7: its memory is watched from warm-up to the end); the fake, HS256 and
 * getSession services serve the other list rows against the same 1 000 tasks, taking turns with
 * row 2; then the POST row, then the table grows for row 7.
 */
export async function runScenario(input: ScenarioInput): Promise<BenchResults> {
  const { settings, database, profileDir, progress } = input;
  const started = performance.now();
  const client = database.client;
  const snapshot = () => cpuSnapshot(database.name);
  const load: LoadOptions = {
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: settings.warmupSeconds,
  };
  const start = (label: string, verifier: VerifierMode, extra: Record<string, string> = {}) =>
    startService({
      label,
      verifier,
      profileDir,
      env: {
        DATABASE_URL: database.url,
        BETTER_AUTH_SECRET: BENCH_SECRET,
        BETTER_AUTH_URL: BENCH_AUTH_URL,
        AUTH_JWT_ALG: 'EdDSA',
        LOG_LEVEL: settings.serviceLogLevel,
        ...extra,
      },
    });

  // The main service (EdDSA, the default embedded issuer) migrates the fresh database.
  const main = await start('eddsa', 'jwt');
  const caller = await signUp(main.url);
  const eddsaToken = await fetchJwt(main.url, caller);
  await seedUsers(client);
  await seedCallerTasks(client, caller.id);
  await growTasksTo(client, SCALE_SIZES[0]);
  progress(`service eddsa (pid ${main.pid}) on ${main.url}; ${await countTasks(client)} tasks`);

  const http: HttpRow[] = [];
  const memory: MemoryRecord[] = [];
  const list = (service: ServiceProcess, token: string): LoadRequest => ({
    url: `${service.url}/api/${encodeURIComponent(caller.id)}/tasks?limit=20`,
    headers: { authorization: `Bearer ${token}` },
  });
  const record = (
    row: string,
    label: string,
    service: ServiceProcess,
    result: LoadResult,
    costs: { cpuMicrosPerRequest: number; otherLoadPercent: number },
  ) => {
    http.push({
      row,
      label,
      service: service.label,
      load: result,
      ...costs,
      rssMiB: service.rssMiB(),
    });
    progress(
      `row ${row} ${label}: ${result.requestsPerSecond} req/s, p99 ${result.p99Ms} ms, ${result.errors} errors`,
    );
  };
  const row = async (id: string, label: string, service: ServiceProcess, request: LoadRequest) => {
    await warmUp(request, load);
    const { result, ...costs } = await measured(service, request, load, snapshot);
    record(id, label, service, result, costs);
  };

  // The services the list rows compare, all up at once, so their rows can take turns.
  const [fake, hs, session, sessionOnly] = await Promise.all([
    start('fake', 'fake', { BENCH_USER_ID: caller.id }),
    start('hs256', 'jwt', { AUTH_JWT_ALG: 'HS256' }),
    start('session', 'session'),
    start('session-only', 'session-only'),
  ]);
  const hsToken = await fetchJwt(hs.url, caller);
  if (algorithmOf(hsToken) !== 'HS256') throw new Error(`expected an HS256 token: ${hsToken}`);

  // Before the HTTP rows: afterwards PostgreSQL is still vacuuming the million-row table.
  progress('row 6: the verifiers alone, in a process of their own, while the services are idle');
  const verifier = await runVerifierMicrobenchApart({
    databaseUrl: database.url,
    caller: { id: caller.id, email: caller.email, name: caller.name },
    eddsaToken,
    hs256Token: hsToken,
    sessionCookie: caller.sessionCookie,
    seconds: settings.microSeconds,
    freshTokens: settings.freshTokens,
  });

  const contenders: Contender[] = [
    {
      row: '2',
      label: 'GET list, JWT EdDSA (cached JWKS)',
      service: main,
      request: list(main, eddsaToken),
    },
    {
      row: 'fake',
      label: 'GET list, fake verifier (InMemoryTokenVerifier)',
      service: fake,
      request: list(fake, fake.fakeToken ?? ''),
    },
    { row: '3', label: 'GET list, JWT HS256', service: hs, request: list(hs, hsToken) },
    {
      row: '4',
      label: "GET list, getSession per request (service's Better Auth)",
      service: session,
      request: list(session, caller.sessionCookie),
    },
    {
      row: '4b',
      label: 'GET list, getSession per request (no JWT plugin)',
      service: sessionOnly,
      request: list(sessionOnly, caller.sessionCookie),
    },
  ];

  await warmUp({ url: `${main.url}/health` }, load);
  const warmMiB = new Map<ServiceProcess, number>();
  for (const { service, request } of contenders) {
    await warmUp(request, load);
    warmMiB.set(service, service.rssMiB());
  }
  await row('1', 'GET /health', main, { url: `${main.url}/health` });

  progress(`rows 2, fake, 3, 4, 4b in ${settings.rounds} interleaved rounds`);
  let peakConnections = 0;
  const results = await interleave(contenders, load, settings.rounds, snapshot, async () => {
    peakConnections = Math.max(peakConnections, await connectionCount(client));
  });
  for (const { contender, load: result, ...costs } of results) {
    record(contender.row, contender.label, contender.service, result, costs);
  }
  progress(`peak PostgreSQL connections to the bench database: ${peakConnections}`);
  for (const service of [fake, hs, session, sessionOnly]) {
    memory.push({
      service: service.label,
      warmMiB: warmMiB.get(service) ?? NaN,
      finalMiB: service.rssMiB(),
    });
    await service.stop();
  }

  await row('5', 'POST task, JWT EdDSA', main, {
    url: `${main.url}/api/${encodeURIComponent(caller.id)}/tasks`,
    method: 'POST',
    headers: { authorization: `Bearer ${eddsaToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: POSTED_TITLE, description: 'Created by the benchmark' }),
  });
  progress(`removed the ${await removePostedTasks(client, caller.id)} posted tasks`);

  const scale = await scaleRows(input, main, caller, list(main, eddsaToken), load, snapshot);
  memory.unshift({
    service: main.label,
    warmMiB: warmMiB.get(main) ?? NaN,
    finalMiB: main.rssMiB(),
  });
  await main.stop();

  const rowLoads = [...http, ...scale].map((row) => row.otherLoadPercent);
  return {
    date: new Date().toISOString(),
    otherLoadPercent: { mean: mean(rowLoads), max: Math.max(0, ...rowLoads) },
    mode: settings.quick ? 'quick' : 'full',
    settings: { ...load, serviceLogLevel: settings.serviceLogLevel },
    machine: describeMachine(await serverVersion(client), input.idleBeforeRun),
    peakConnections,
    http,
    verifier,
    scale,
    memory,
    targets: evaluateTargets({ http, verifier, scale, memory }),
    elapsedSeconds: Math.round((performance.now() - started) / 1000),
  };
}

async function connectionCount(client: BenchDatabase['client']): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    'select count(*) as n from pg_stat_activity where datname = current_database()',
  );
  return Number(rows[0]?.n ?? 0);
}

function mean(values: readonly number[]): number {
  return values.length === 0
    ? 0
    : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}
