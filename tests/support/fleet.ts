import { expect } from '@jest/globals';
import { runNode, type RunningProcess } from './child-process.js';
import { freePort } from './free-port.js';
import { startHaproxy, type Haproxy } from './haproxy.js';
import { createPostgresDatabase, type TestDatabase } from './test-database.js';
import { TEST_SECRET } from './test-service.js';
import { eventually } from './waiting.js';

/** The fleet's BETTER_AUTH_URL: production requires https; the instances answer plain http. */
export const FLEET_PUBLIC_URL = 'https://task-api.test';

const STARTUP_TIMEOUT_MS = 90_000;

/** One line of an instance's JSON log. */
export type LogEntry = Record<string, unknown>;

/** One instance of the fleet: dist/main.js on a port of its own, stopped and started at will. */
export class FleetInstance {
  private current: RunningProcess | null = null;
  private readonly runs: RunningProcess[] = [];

  constructor(
    /** app1, app2, …: its server's name in HAProxy. */
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** Where it answers directly, bypassing the balancer. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process; throws when the instance is stopped. */
  get process(): RunningProcess {
    if (!this.current) throw new Error(`${this.name} is not running`);
    return this.current;
  }

  /** Starts it (again) on its port; resolves once it listens. */
  async start(): Promise<void> {
    if (this.current) throw new Error(`${this.name} is running already`);
    const process = runNode('dist/main.js', { ...this.env, PORT: String(this.port) });
    this.current = process;
    this.runs.push(process);
    // Several Node processes starting at once on a busy machine take their time.
    await process.waitFor(/Task API listening on/, STARTUP_TIMEOUT_MS);
  }

  /** Sends `signal` (SIGTERM: drain first, as a process manager does); resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const process = this.process;
    this.current = null;
    return process.stop(signal);
  }

  /** Every JSON line this instance logged, over all its runs. */
  log(): LogEntry[] {
    return this.runs.flatMap((run) =>
      run
        .stdout()
        .split('\n')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as LogEntry];
          } catch {
            return [];
          }
        }),
    );
  }

  /** Whether it answered the request sent with this X-Request-Id. */
  answered(requestId: string): boolean {
    return this.log().some((entry) => entry.msg === 'request' && entry.requestId === requestId);
  }
}

export interface FleetOptions {
  /** Names the fleet's database. */
  readonly label: string;
  /** How many instances (default 3). */
  readonly size?: number;
  /** Environment of every instance, over the fleet's own. */
  readonly env?: Record<string, string>;
}

/**
 * N instances of dist/main.js (`npm run build` first) on one PostgreSQL database, as production
 * runs them (NODE_ENV=production, one secret, one public URL), behind HAProxy configured by
 * deploy/haproxy.cfg, with health checks on /ready.
 */
export interface Fleet {
  readonly instances: readonly FleetInstance[];
  readonly balancer: Haproxy;
  /** Where clients reach the fleet. */
  readonly url: string;
  readonly databaseUrl: string;
  /** Waits until the balancer has every instance in rotation (its checks of /ready pass). */
  allInRotation(): Promise<void>;
  /** The instance that answered the request sent with this X-Request-Id, once it has logged it. */
  answeredBy(requestId: string): Promise<FleetInstance>;
  close(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const db: TestDatabase = await createPostgresDatabase(options.label);
  if (db.config.kind !== 'postgres') throw new Error('a fleet needs PostgreSQL');
  const databaseUrl = db.config.url;
  const env = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: TEST_SECRET,
    BETTER_AUTH_URL: FLEET_PUBLIC_URL,
    // The balancer is on this host: its X-Forwarded-For names the client.
    TRUSTED_PROXIES: '127.0.0.1',
    ...options.env,
  };
  const ports = await Promise.all(Array.from({ length: options.size ?? 3 }, () => freePort()));
  const instances = ports.map((port, i) => new FleetInstance(`app${i + 1}`, port, env));
  let balancer: Haproxy | null = null;
  const close = async () => {
    await balancer?.stop();
    // SIGINT: no drain delay, nobody is left to drain for.
    await Promise.all(instances.map((instance) => instance.stop('SIGINT').catch(() => undefined)));
    await db.drop();
  };
  try {
    // Started together on an empty database, as a deployment does: migrations take turns.
    await Promise.all(instances.map((instance) => instance.start()));
    balancer = await startHaproxy(instances.map((instance) => `127.0.0.1:${instance.port}`));
    const running = balancer;
    const allInRotation = () =>
      eventually(async () => {
        const states = await running.servers();
        expect(states.map((s) => `${s.name} ${s.status}`)).toEqual(
          instances.map((instance) => `${instance.name} UP`),
        );
      }, 20_000);
    await allInRotation();
    return {
      instances,
      balancer: running,
      url: running.url,
      databaseUrl,
      allInRotation,
      async answeredBy(requestId) {
        let found: FleetInstance | undefined;
        await eventually(async () => {
          found = instances.find((instance) => instance.answered(requestId));
          expect(found).toBeDefined();
        });
        return found as FleetInstance;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
