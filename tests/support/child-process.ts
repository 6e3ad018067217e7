import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Waits (up to `timeoutMs`, 20 s) for a line matching `pattern` on stdout; its first group. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends SIGTERM (or `signal`) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface RunOptions {
  /** Arguments after the entry point. */
  readonly args?: readonly string[];
  /** The working directory; default the repository root. */
  readonly cwd?: string;
}

/** Runs a built entry point (`npm test` builds first) as a separate Node process. */
export function runNode(
  entry: string,
  env: Record<string, string>,
  options: RunOptions = {},
): RunningProcess {
  const child = spawn(process.execPath, [entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));

  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match[1] ?? match[0];
        if (ended || Date.now() > deadline) {
          throw new Error(`${entry} never printed ${pattern}; stdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** Starts the Task API (dist/main.js) and resolves with its URL once it listens. */
export async function startApiProcess(
  env: Record<string, string>,
): Promise<{ process: RunningProcess; url: string }> {
  const proc = runNode('dist/main.js', { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  const url = await proc.waitFor(/Task API listening on (http:\/\/[^"\s]+)/);
  return { process: proc, url };
}
