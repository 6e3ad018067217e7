import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem, type } from 'node:os';
import type { Machine } from './results.js';

/** What the numbers were measured on. */
export function describeMachine(postgres: string, idleBeforeRunPercent: number): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres,
    os: `${type()} ${release()}`,
    idleBeforeRunPercent,
  };
}
