import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createBenchDatabase, type BenchDatabase } from './bench-database.js';
import { idlePercent } from './cpu-idle.js';
import { formatPlans, formatReport, writeResults } from './report.js';
import { runScenario } from './scenario.js';
import { stopAllServices } from './service-process.js';
import { benchSettings } from './settings.js';

/**
 * `npm run bench [-- --quick] [-- --profile]`: a fresh database, the service in child processes,
 * the load from here; prints the tables, writes bench/results.json, and always cleans up.
 */
const settings = benchSettings(process.argv.slice(2));
const resultsPath = new URL('../../bench/results.json', import.meta.url).pathname;
const profileDir = settings.profile
  ? new URL('../../bench/profiles/', import.meta.url).pathname
  : null;
const started = performance.now();
const progress = (message: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

let db: BenchDatabase | null = null;
let cleaning: Promise<void> | null = null;
/** Stops every service and drops the run's database, whatever happened. */
const cleanup = () =>
  (cleaning ??= (async () => {
    await stopAllServices();
    await db
      ?.drop()
      .catch((error: unknown) => console.error('dropping the database failed', error));
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the services and dropping the database`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  const idleBeforeRun = await idlePercent();
  if (idleBeforeRun < 90) {
    console.warn(
      `WARNING: the CPU was only ${idleBeforeRun} % idle before the run: numbers will be skewed`,
    );
  }
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  db = await createBenchDatabase(settings.adminDatabaseUrl);
  progress(`created database ${db.name}; ${settings.quick ? 'quick' : 'full'} mode`);
  const results = await runScenario({
    settings,
    database: db,
    profileDir,
    idleBeforeRun,
    progress,
  });
  console.log(`\n${formatReport(results)}\n\n${formatPlans(results)}\n`);
  writeResults(resultsPath, results);
  progress(`wrote ${resultsPath}${profileDir ? `; CPU profiles in ${profileDir}` : ''}`);
} finally {
  await cleanup();
}
process.exit(0);
