import {
  drive,
  summarize,
  type LoadOptions,
  type LoadRequest,
  type LoadResult,
  type LoadSlice,
} from './load.js';
import { OtherLoad, type CpuSnapshot } from './cpu-accounting.js';
import type { ServiceProcess } from './service-process.js';

/** One row of an interleaved comparison: a request against its own service process. */
export interface Contender {
  readonly row: string;
  readonly label: string;
  readonly service: ServiceProcess;
  readonly request: LoadRequest;
}

export interface ContenderResult {
  readonly contender: Contender;
  readonly load: LoadResult;
  /** CPU time the contender's service spent per request, over its slices. */
  readonly cpuMicrosPerRequest: number;
  /** Share of the machine other work took during the contender's slices. */
  readonly otherLoadPercent: number;
}

/**
 * Rows that are compared with each other are measured in turns (A B C, B C A, C A B, …): each
 * gets `durationSeconds` in all, cut into `rounds` slices, so whatever else the machine does
 * during the run falls on every row alike instead of on whichever ran at the wrong moment.
 */
export async function interleave(
  contenders: readonly Contender[],
  load: LoadOptions,
  rounds: number,
  snapshot: () => CpuSnapshot,
  afterRound: () => Promise<void> = async () => undefined,
): Promise<ContenderResult[]> {
  const slices = contenders.map(() => [] as LoadSlice[]);
  const cpu = contenders.map(() => 0);
  const others = contenders.map(() => new OtherLoad());
  const sliceSeconds = load.durationSeconds / rounds;
  for (let round = 0; round < rounds; round += 1) {
    for (let turn = 0; turn < contenders.length; turn += 1) {
      const index = (round + turn) % contenders.length;
      const contender = contenders[index];
      if (!contender) continue;
      const before = contender.service.cpuSeconds();
      const start = snapshot();
      slices[index]?.push(await drive(contender.request, load.connections, sliceSeconds));
      others[index]?.add(start, snapshot());
      cpu[index] = (cpu[index] ?? 0) + contender.service.cpuSeconds() - before;
    }
    await afterRound();
  }
  return contenders.map((contender, i) => {
    const result = summarize(slices[i] ?? []);
    return {
      contender,
      load: result,
      cpuMicrosPerRequest: Math.round(((cpu[i] ?? 0) * 1e6) / Math.max(1, result.requests)),
      otherLoadPercent: others[i]?.percent() ?? 0,
    };
  });
}
