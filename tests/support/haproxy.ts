import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** The balancer's configuration, as deployed: the fleet test runs this very file. */
export const HAPROXY_TEMPLATE = 'deploy/haproxy.cfg';

/** The backend that holds the instances, in HAPROXY_TEMPLATE. */
const BACKEND = 'task_api_instances';

export interface HaproxyAddresses {
  /** Where the balancer listens, host:port. */
  readonly bind: string;
  /** The runtime API's socket. */
  readonly socket: string;
  /** host:port of each instance, in order: app1, app2, … */
  readonly servers: readonly string[];
}

/**
 * HAPROXY_TEMPLATE with the test's addresses put in its `bind`, `stats socket` and `server`
 * lines (one `server` line per address, with the first one's options), and nothing else changed.
 * Throws when the template no longer has exactly the lines this expects.
 */
export function renderHaproxyConfig(template: string, addresses: HaproxyAddresses): string {
  const once = (text: string, pattern: RegExp, replacement: string, what: string) => {
    const count = text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    if (count !== 1)
      throw new Error(`${HAPROXY_TEMPLATE} must have one ${what} line, not ${count}`);
    return text.replace(pattern, replacement);
  };
  let config = once(template, /^(\s*bind\s+)\S+/m, `$1${addresses.bind}`, 'bind');
  config = once(config, /^(\s*stats socket\s+)\S+/m, `$1${addresses.socket}`, 'stats socket');
  const lines = config.split('\n');
  const server = /^(\s*)server\s+\S+\s+\S+(.*)$/;
  const at = lines.flatMap((line, index) => (server.test(line) ? [index] : []));
  const [first = -1] = at;
  if (first < 0 || at.some((index, i) => index !== first + i)) {
    throw new Error(`${HAPROXY_TEMPLATE} must list its servers on consecutive lines`);
  }
  const [, indent = '', options = ''] = server.exec(lines[first] ?? '') ?? [];
  const servers = addresses.servers.map(
    (address, i) => `${indent}server app${i + 1} ${address}${options}`,
  );
  lines.splice(first, at.length, ...servers);
  return lines.join('\n');
}

/** One server of the backend, as HAProxy's runtime API reports it. */
export interface ServerState {
  /** app1, app2, … */
  readonly name: string;
  /** UP, DOWN, or on the way: "UP 1/2", "DOWN 1/2"; MAINT. */
  readonly status: string;
  /** Requests (sessions) it is serving now. */
  readonly sessions: number;
}

export interface Haproxy {
  /** http://host:port of the balancer. */
  readonly url: string;
  /** Each server of the backend, from `show stat`. */
  servers(): Promise<ServerState[]>;
  /** Everything HAProxy printed (its request log included). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts Debian's haproxy (`apt-get install haproxy`) on HAPROXY_TEMPLATE, in front of `servers`. */
export async function startHaproxy(servers: readonly string[]): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
  const port = await freePort();
  const socket = join(dir, 'admin.sock');
  const path = join(dir, 'haproxy.cfg');
  const template = readFileSync(HAPROXY_TEMPLATE, 'utf8');
  writeFileSync(
    path,
    renderHaproxyConfig(template, { bind: `127.0.0.1:${port}`, socket, servers }),
  );

  // -db: stay in the foreground, logging to stdout (the template's `log stdout`).
  const child = spawn('haproxy', ['-f', path, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => (output += `\n${String(error)}`));

  const readServers = async (): Promise<ServerState[]> => {
    const [header = '', ...rows] = (await runtimeApi(socket, 'show stat')).trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const field = (row: string[], name: string) => row[columns.indexOf(name)] ?? '';
    return rows
      .map((row) => row.split(','))
      .filter((row) => field(row, 'pxname') === BACKEND && /^app\d+$/.test(field(row, 'svname')))
      .map((row) => ({
        name: field(row, 'svname'),
        status: field(row, 'status'),
        sessions: Number(field(row, 'scur')),
      }));
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await readServers();
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`haproxy did not start:\n${output}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    servers: readServers,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends one command to HAProxy's runtime API and returns its answer. */
function runtimeApi(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const connection = connect(socket, () => connection.end(`${command}\n`));
    connection.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    connection.on('end', () => resolve(answer));
    connection.on('error', reject);
  });
}
