import { writeFileSync } from 'node:fs';
import type { BenchResults, HttpRow, ScaleRow } from './results.js';
import { IN_FLIGHT } from './call-timer.js';

/** The run as text tables: HTTP rows, the verifier alone, scale, memory, targets. */
export function formatReport(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Task API benchmark, ${r.mode} mode, ${r.date} (${r.elapsedSeconds} s)`,
    `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, ${m.os}`,
    `CPU idle before the run: ${m.idleBeforeRunPercent} %${m.idleBeforeRunPercent < 90 ? ' (WARNING: other work was running on this machine; the numbers are skewed)' : ''}`,
    `Other work on the machine during the HTTP rows: mean ${r.otherLoadPercent.mean} %, max ${r.otherLoadPercent.max} % of all CPUs${r.otherLoadPercent.max >= 10 ? ' (WARNING: some rows are skewed; see their other load %)' : ''}`,
    `Peak PostgreSQL connections to the bench database (interleaved rows): ${r.peakConnections}`,
    `${r.settings.connections} connections, ${r.settings.durationSeconds} s per row after ${r.settings.warmupSeconds} s of warm-up, service LOG_LEVEL=${r.settings.serviceLogLevel}`,
    '',
    table(
      ['Row', 'Request', ...LOAD_COLUMNS, 'RSS MiB'],
      r.http.map((h) => [h.row, h.label, ...loadCells(h), h.rssMiB]),
    ),
    '',
    table(
      [
        'Row 6: verifier alone (no HTTP)',
        `verifications/s (${IN_FLIGHT} in flight)`,
        'us per call (one at a time)',
      ],
      r.verifier.map((v) => [v.name, v.perSecond, v.microsPerCall]),
    ),
    '',
    table(
      [
        'Row 7: tasks in table',
        'users with tasks',
        'caller owns',
        'seeding s',
        ...LOAD_COLUMNS,
        'index scan',
        'RSS MiB',
      ],
      r.scale.map((s) => [
        s.tasks,
        s.users,
        s.callerTasks,
        s.seedSeconds,
        ...loadCells(s),
        s.explain.usesIndex ? 'yes' : 'NO',
        s.rssMiB,
      ]),
    ),
    '',
    table(
      ['Service process', 'RSS after warm-up MiB', 'final RSS MiB'],
      r.memory.map((x) => [x.service, x.warmMiB, x.finalMiB]),
    ),
    '',
    table(
      ['Target', 'Measured', 'Result'],
      r.targets.map((t) => [t.target, t.measured, t.pass ? 'PASS' : 'FAIL']),
    ),
  ];
  return lines.join('\n');
}

/** The EXPLAIN output of each scale step. */
export function formatPlans(r: BenchResults): string {
  return r.scale
    .map((s) => `EXPLAIN of the list query with ${s.tasks} tasks:\n${s.explain.plan}`)
    .join('\n\n');
}

export function writeResults(path: string, results: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** What every measured row reports about its load, in the same columns. */
const LOAD_COLUMNS = ['req/s', 'p50 ms', 'p99 ms', 'errors', 'service CPU us/req', 'other load %'];

function loadCells(row: HttpRow | ScaleRow): number[] {
  const { load } = row;
  return [
    load.requestsPerSecond,
    load.p50Ms,
    load.p99Ms,
    load.errors,
    row.cpuMicrosPerRequest,
    row.otherLoadPercent,
  ];
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((row) => typeof row[i] === 'number'));
  const render = (row: string[]) =>
    `| ${row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [render(header), rule, ...cells.slice(1).map(render)].join('\n');
}
