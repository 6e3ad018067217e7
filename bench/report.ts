import { cpus } from 'node:os';
import { CHECKS, type Check, type HttpRow, type Measure, type VerifierRow } from './rows.js';
import type { HttpResult } from './run-row.js';
import { DEFAULT_TASKS, type BenchSettings } from './settings.js';
import type { VerifierResult } from './verifier-timer.js';

export interface RunReport {
  readonly settings: BenchSettings;
  readonly date: Date;
  readonly elapsedSeconds: number;
  readonly postgresVersion: string;
  readonly verifiers: readonly { readonly row: VerifierRow; readonly result: VerifierResult }[];
  readonly http: readonly { readonly row: HttpRow; readonly result: HttpResult }[];
}

const UNITS: Record<Measure, string> = {
  requestsPerSecond: 'req/s',
  p99Ms: 'p99 ms',
  cpuMicrosPerRequest: 'CPU µs/req',
  microsPerCall: 'µs per call',
};

/** The run as Markdown: its conditions, one table per kind of row, the checks. */
export function formatReport(report: RunReport): string {
  const { settings } = report;
  const cpu = cpus();
  const header = [
    `Task API benchmark, ${settings.quick ? 'quick' : 'full'} mode, ${report.date.toISOString()} (${report.elapsedSeconds} s)`,
    `${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, PostgreSQL ${report.postgresVersion}`,
    `Services in the driver's process, one at a time, LOG_LEVEL=${settings.serviceLogLevel} to a file`,
    `HTTP rows: ${settings.connections} connections from another process, ${settings.durationSeconds} s after ${settings.warmupSeconds} s of warm-up (${settings.firstWarmupSeconds} s before the first)`,
  ];
  const verifiers = table(
    ['Row', 'Verifier alone, no HTTP', 'µs per call', 'calls'],
    report.verifiers.map(({ row, result }) => [
      row.id,
      row.label,
      result.microsPerCall,
      result.calls,
    ]),
  );
  const http = table(
    ['Row', 'Request', 'tasks', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/req'],
    report.http.map(({ row, result }) => [
      row.id,
      row.label,
      row.tasks ?? DEFAULT_TASKS,
      result.requestsPerSecond,
      result.p50Ms,
      result.p99Ms,
      result.errors,
      result.cpuMicrosPerRequest,
    ]),
  );
  const observed = report.http.filter(({ result }) => result.signals !== null);
  const signals = table(
    [
      'Row',
      'minor GCs',
      'ms',
      'major GCs',
      'ms',
      'loop delay p99 ms',
      'max ms',
      'acquires',
      '> 1 ms %',
      'acquire p99 ≤ ms',
      'run-queue wait ms/s',
    ],
    observed.map(({ row, result }) => {
      const s = result.signals;
      return s
        ? [
            row.id,
            s.minorGcs,
            s.minorGcMs,
            s.majorGcs,
            s.majorGcMs,
            s.loopDelayP99Ms,
            s.loopDelayMaxMs,
            s.acquires,
            s.acquiresOver1MsPercent,
            s.acquireP99Ms,
            s.runQueueWaitMsPerSecond,
          ]
        : [row.id];
    }),
  );
  const values = new Map<string, Partial<Record<Measure, number>>>([
    ...report.verifiers.map(({ row, result }) => [row.id, result] as const),
    ...report.http.map(({ row, result }) => [row.id, result] as const),
  ]);
  const checks = table(
    ['Check', 'Measured', 'Target', 'Result'],
    CHECKS.map((check) => judge(check, values)),
  );
  // A table without rows (BENCH_ROWS chose none of its kind) is left out.
  const tables = [
    report.verifiers.length > 0 ? verifiers : null,
    report.http.length > 0 ? http : null,
    // What the services' own metrics said during each measured load (rows with metrics on).
    observed.length > 0 ? signals : null,
    checks,
  ];
  return [header.join('\n'), ...tables.filter((t) => t !== null)].join('\n\n');
}

function judge(check: Check, values: Map<string, Partial<Record<Measure, number>>>): string[] {
  const label = `${check.row}${check.over ? ` / ${check.over}` : ''}, ${UNITS[check.measure]}`;
  const target =
    check.atLeast !== undefined
      ? `>= ${check.atLeast}`
      : check.atMost !== undefined
        ? `<= ${check.atMost}`
        : '-';
  const value = values.get(check.row)?.[check.measure];
  const base = check.over === undefined ? 1 : values.get(check.over)?.[check.measure];
  if (value === undefined || base === undefined) return [label, 'not run', target, '-'];
  const measured = round(value / base, 2);
  const shown = check.over === undefined ? `${value}` : `${measured}x (${value} / ${base})`;
  const pass =
    (check.atLeast === undefined || measured >= check.atLeast) &&
    (check.atMost === undefined || measured <= check.atMost);
  const judged = check.atLeast !== undefined || check.atMost !== undefined;
  return [label, shown, target, judged ? (pass ? 'PASS' : 'FAIL') : '-'];
}

type Cell = string | number;

/** A Markdown table, padded; columns of numbers are right-aligned. */
function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const right = head.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const text = rows.map((r) => r.map(String));
  const width = head.map((h, i) => Math.max(h.length, 3, ...text.map((r) => r[i]?.length ?? 0)));
  const pad = (cell: string, i: number) =>
    right[i] ? cell.padStart(width[i] ?? 0) : cell.padEnd(width[i] ?? 0);
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = width.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(head), `| ${rule.join(' | ')} |`, ...text.map(line)].join('\n');
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
