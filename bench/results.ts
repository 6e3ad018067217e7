import type { ExplainResult } from './explain.js';
import type { LoadResult } from './load.js';
import type { MicroResult } from './verifier-microbench.js';

/** One HTTP row: a request driven against one service process. */
export interface HttpRow {
  readonly row: string;
  readonly label: string;
  readonly service: string;
  readonly load: LoadResult;
  /** CPU time the service process spent per request during the row (all its threads). */
  readonly cpuMicrosPerRequest: number;
  /** Share of the machine's CPU that work outside the bench took during the row. */
  readonly otherLoadPercent: number;
  /** The service's RSS right after the row. */
  readonly rssMiB: number;
}

export interface ScaleRow {
  readonly tasks: number;
  readonly users: number;
  readonly callerTasks: number;
  readonly seedSeconds: number;
  readonly load: LoadResult;
  readonly cpuMicrosPerRequest: number;
  readonly otherLoadPercent: number;
  readonly rssMiB: number;
  readonly explain: ExplainResult;
}

/** One service process: RSS after its warm-up and when its last row was done. */
export interface MemoryRecord {
  readonly service: string;
  readonly warmMiB: number;
  readonly finalMiB: number;
}

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly postgres: string;
  readonly os: string;
  /** Idle CPU over 2 s before the run started: below ~90 %, something else was competing. */
  readonly idleBeforeRunPercent: number;
}

export interface BenchResults {
  readonly date: string;
  readonly mode: 'quick' | 'full';
  /** Share of the machine's CPU that work outside the bench took during the HTTP rows. */
  readonly otherLoadPercent: { readonly mean: number; readonly max: number };
  readonly settings: {
    readonly durationSeconds: number;
    readonly warmupSeconds: number;
    readonly connections: number;
    readonly serviceLogLevel: string;
  };
  readonly machine: Machine;
  /** Most connections the bench database had open during the interleaved list rows. */
  readonly peakConnections: number;
  readonly http: HttpRow[];
  readonly verifier: MicroResult[];
  readonly scale: ScaleRow[];
  readonly memory: MemoryRecord[];
  readonly targets: TargetResult[];
  readonly elapsedSeconds: number;
}
