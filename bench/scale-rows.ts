import type { Caller } from './auth-client.js';
import type { BenchDatabase } from './bench-database.js';
import type { CpuSnapshot } from './cpu-accounting.js';
import { explainListQuery } from './explain.js';
import { warmUp, type LoadOptions, type LoadRequest } from './load.js';
import { measured } from './measured-load.js';
import type { ScaleRow } from './results.js';
import { countTasks, countUsers, growTasksTo } from './seed.js';
import type { ServiceProcess } from './service-process.js';
import { CALLER_TASKS, SCALE_SIZES } from './settings.js';

/** Row 7: the same list at 1 000, 100 000 and 1 000 000 tasks, the caller owning 200 each time. */
export async function scaleRows(
  input: { readonly database: BenchDatabase; readonly progress: (message: string) => void },
  service: ServiceProcess,
  caller: Caller,
  request: LoadRequest,
  load: LoadOptions,
  snapshot: () => CpuSnapshot,
): Promise<ScaleRow[]> {
  const client = input.database.client;
  const rows: ScaleRow[] = [];
  for (const size of SCALE_SIZES) {
    const seedStart = performance.now();
    const tasks = await growTasksTo(client, size);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const callerTasks = await countTasks(client, caller.id);
    if (callerTasks !== CALLER_TASKS) throw new Error(`the caller owns ${callerTasks} tasks`);
    const explain = await explainListQuery(client, caller.id);
    const users = await countUsers(client);
    await warmUp(request, load);
    const { result, ...costs } = await measured(service, request, load, snapshot);
    rows.push({
      ...costs,
      tasks,
      users,
      callerTasks,
      seedSeconds,
      load: result,
      rssMiB: service.rssMiB(),
      explain,
    });
    input.progress(
      `row 7 at ${tasks} tasks (seeded in ${seedSeconds} s): p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.errors} errors, index scan: ${explain.usesIndex}`,
    );
  }
  return rows;
}
