import { OtherLoad, type CpuSnapshot } from './cpu-accounting.js';
import { measure, type LoadOptions, type LoadRequest } from './load.js';
import type { ServiceProcess } from './service-process.js';

/** The measured load, the CPU time the service spent per request, and other work meanwhile. */
export async function measured(
  service: ServiceProcess,
  request: LoadRequest,
  load: LoadOptions,
  snapshot: () => CpuSnapshot,
) {
  const cpuBefore = service.cpuSeconds();
  const start = snapshot();
  const result = await measure(request, load);
  const other = new OtherLoad();
  other.add(start, snapshot());
  const cpu = service.cpuSeconds() - cpuBefore;
  return {
    result,
    cpuMicrosPerRequest: Math.round((cpu * 1e6) / Math.max(1, result.requests)),
    otherLoadPercent: other.percent(),
  };
}
