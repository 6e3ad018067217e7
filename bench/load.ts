import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** One request, sent again and again on every connection. */
export interface LoadRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Replace `[<id>]` in the request with a new id on every request (an Idempotency-Key). */
  readonly idReplacement?: boolean;
}

export interface LoadSpec {
  readonly request: LoadRequest;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Non-2xx answers plus connection errors (timeouts included). */
  readonly errors: number;
}

const ENTRY = new URL('./load-process.js', import.meta.url).pathname;
const running = new Set<ChildProcess>();

/**
 * Drives `spec` from a process of its own (bench/load-process.ts): the service runs in this one,
 * and must not share its event loop with the load generator.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, [ENTRY], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(child);
  try {
    const exited = once(child, 'exit') as Promise<[number | null]>;
    // On stdin, not in argv: the request carries a token, and argv is visible to `ps`.
    child.stdin.end(JSON.stringify(spec));
    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout) chunks.push(chunk as Buffer);
    const [code] = await exited;
    if (code !== 0) throw new Error(`the load generator exited with ${code}`);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadResult;
  } finally {
    running.delete(child);
  }
}

/** Stops a load generator still running (Ctrl-C, or a failure elsewhere). */
export function stopLoad(): void {
  for (const child of running) child.kill('SIGKILL');
}
