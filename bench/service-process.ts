import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type VerifierMode = 'jwt' | 'session' | 'session-only' | 'fake';

export interface ServiceOptions {
  readonly label: string;
  readonly verifier: VerifierMode;
  /** The service's own variables (DATABASE_URL, AUTH_JWT_ALG, ...). */
  readonly env: Record<string, string>;
  /** Folder for a `node --cpu-prof` profile, or null. */
  readonly profileDir: string | null;
}

/** A bench service running as a child process (never in the driver, which generates the load). */
export interface ServiceProcess {
  readonly label: string;
  readonly pid: number;
  readonly url: string;
  readonly fakeToken: string | null;
  /** Resident memory in MiB (VmRSS from /proc/<pid>/status). */
  rssMiB(): number;
  /** CPU time used so far, user + system, all threads (from /proc/<pid>/stat). */
  cpuSeconds(): number;
  /** The service's log (its stdout and stderr), for a failure report. */
  log(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

const ENTRY = new URL('./server.js', import.meta.url).pathname;
const READY = /^BENCH_READY (.+)$/m;
const running = new Set<ServiceProcess>();

export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  // The log goes to a file, not a pipe: the driver must not spend its CPU reading request logs.
  const dir = mkdtempSync(join(tmpdir(), 'task-api-bench-'));
  const logPath = join(dir, 'service.log');
  const fd = openSync(logPath, 'w');
  const args = options.profileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${options.profileDir}`,
        `--cpu-prof-name=${options.label}.cpuprofile`,
      ]
    : [];
  const child = spawn(process.execPath, [...args, ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      WEB_UI: 'false',
      // One caller drives thousands of requests a second: the per-user limit would turn every
      // row into a measure of 429s.
      TASK_API_RATE_LIMIT: '0',
      BENCH_VERIFIER: options.verifier,
      ...options.env,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const log = () => readFileSync(logPath, 'utf8');

  const service: ServiceProcess = {
    label: options.label,
    pid: child.pid ?? -1,
    url: '',
    fakeToken: null,
    rssMiB: () => rssMiB(child),
    cpuSeconds: () => cpuSeconds(child),
    log,
    stop: async () => {
      if (!gone) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(service);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(service);

  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = READY.exec(log());
    if (ready?.[1]) {
      const info = JSON.parse(ready[1]) as { url: string; fakeToken: string | null };
      return { ...service, url: info.url, fakeToken: info.fakeToken };
    }
    if (gone || Date.now() > deadline) {
      const output = log();
      await service.stop();
      throw new Error(`the ${options.label} service did not start; its log:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The process ids of every bench service still running. */
export function runningServicePids(): number[] {
  return [...running].map((service) => service.pid);
}

/** Stops every service still running: the driver's cleanup, on success and on failure alike. */
export async function stopAllServices(): Promise<void> {
  await Promise.allSettled([...running].map((service) => service.stop()));
}

export const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function cpuSeconds(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
}

function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? NaN);
  return Math.round((kib / 1024) * 10) / 10;
}
