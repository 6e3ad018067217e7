import { readFileSync } from 'node:fs';

/**
 * Share of the machine's CPU time that was idle over `ms` (from /proc/stat). Sampled before the
 * run starts anything: other work on the machine skews every number, so the report says so.
 */
export async function idlePercent(ms = 2_000): Promise<number> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? Math.round(((after.idle - before.idle) / total) * 1000) / 10 : 100;
}

function cpuTimes(): { idle: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { idle, total: fields.reduce((a, b) => a + b, 0) };
}
