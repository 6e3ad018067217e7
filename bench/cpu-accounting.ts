import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CLOCK_TICKS, runningServicePids } from './service-process.js';

/** CPU seconds used so far: by the whole machine, and by the parts of the bench. */
export interface CpuSnapshot {
  readonly atMs: number;
  readonly machine: number;
  readonly bench: number;
}

/**
 * The machine's busy time (from /proc/stat) next to what the bench itself used: the driver, every
 * bench service process, and PostgreSQL's processes serving the bench database (its backends)
 * or the whole server (background writers, autovacuum). The difference is other work on the
 * machine, which skews every number measured meanwhile.
 */
export function cpuSnapshot(databaseName: string): CpuSnapshot {
  const driver = process.cpuUsage();
  let bench = (driver.user + driver.system) / 1e6;
  for (const pid of runningServicePids()) bench += processSeconds(pid);
  for (const pid of postgresPids(databaseName)) bench += processSeconds(pid);
  return { atMs: performance.now(), machine: machineBusySeconds(), bench };
}

/** Adds up, over the stretches of one row, how much of the machine other work took. */
export class OtherLoad {
  private other = 0;
  private capacity = 0;

  constructor(private readonly cpus = availableParallelism()) {}

  add(from: CpuSnapshot, to: CpuSnapshot): void {
    this.capacity += ((to.atMs - from.atMs) / 1000) * this.cpus;
    this.other += to.machine - from.machine - (to.bench - from.bench);
  }

  /** Percent of all CPUs' time (100 % = every core busy with other work). */
  percent(): number {
    return this.capacity > 0
      ? Math.max(0, Math.round((this.other / this.capacity) * 1000) / 10)
      : 0;
  }
}

function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait.
  const busy = fields
    .slice(0, 8)
    .reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  return busy / CLOCK_TICKS;
}

/** PostgreSQL processes that work for the bench: its database's backends and the shared ones. */
function postgresPids(databaseName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // A client backend's title names its database ("postgres: 15/main: user db host(port) …");
      // background writers, autovacuum and parallel workers serve whoever is busy: the bench.
      const backend = /^postgres: [^:]+: \S+ (\S+) \S+\(\d+\)/.exec(title);
      if (!backend || backend[1] === databaseName) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
