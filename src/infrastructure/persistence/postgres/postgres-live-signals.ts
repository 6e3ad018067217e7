import pg from 'pg';
import type { Logger } from 'pino';
import {
  MAX_SIGNAL_PAYLOAD_LENGTH,
  type LiveSignalHandlers,
  type LiveSignals,
  type LiveTopic,
} from '../../../application/shared/live-signals.port.js';
import { deliver } from '../../live/in-process-live-signals.js';
import { startPeriodicJob, type PeriodicJob } from '../../system/periodic-job.js';
import { REVOCATION_CHANNEL } from '../mikro-orm/mikro-orm-token-revocations.js';
import { withDeadline } from './with-deadline.js';

/** The PostgreSQL channel of each topic (a revocation's write notifies its channel itself). */
export const LIVE_CHANNELS = {
  revocations: REVOCATION_CHANNEL,
  'task-changes': 'task_change',
} as const satisfies Record<LiveTopic, string>;

/** How `pg_stat_activity` names the listening connection. */
export const LISTEN_APPLICATION_NAME = 'task-api-listen';

export interface PostgresLiveSignalsOptions {
  /** DATABASE_LISTEN_URL: a direct connection (LISTEN does not pass a transaction pooler). */
  readonly url: string;
  /** How often the connection is checked (and, when down, opened again). */
  readonly checkEveryMs: number;
  /** A check not answered within this long counts as a lost connection (it went silent). */
  readonly answerWithinMs: number;
  /**
   * Sends a notification: on the pool the writes use, so that a signal goes out even while the
   * listening connection is being replaced.
   */
  readonly notify: (channel: string, payload: string) => Promise<void>;
}

/**
 * Every live topic of an instance on ONE dedicated PostgreSQL connection that LISTENs on each
 * topic's channel. After every (re)connect it listens first, then tells every subscriber to catch
 * up (`onResume`), so nothing sent in between is missed. A connection that closes is replaced at
 * once; one that goes silent is given up on when a check gets no answer in time, and replaced at
 * the next check. Subscribers may also query on this connection (`query`): a read that answers
 * proves the connection alive.
 */
export class PostgresLiveSignals implements LiveSignals {
  private readonly subscribers = new Map<LiveTopic, Set<LiveSignalHandlers>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  /** A connection being opened, so that a silent one can be given up on too. */
  private opening: pg.Client | null = null;
  private checks: PeriodicJob | null = null;
  private stopped = false;
  /** The last check failed: further failures are not logged again until one succeeds. */
  private failing = false;

  constructor(
    private readonly options: PostgresLiveSignalsOptions,
    private readonly logger: Logger,
  ) {}

  subscribe(topic: LiveTopic, handlers: LiveSignalHandlers): () => void {
    const forTopic = this.subscribers.get(topic) ?? new Set<LiveSignalHandlers>();
    this.subscribers.set(topic, forTopic);
    const entry = { ...handlers };
    forTopic.add(entry);
    return () => forTopic.delete(entry);
  }

  async publish(topic: LiveTopic, payload: string): Promise<void> {
    if (payload.length > MAX_SIGNAL_PAYLOAD_LENGTH) {
      throw new RangeError(`a live signal's payload is ${payload.length} characters`);
    }
    await this.options.notify(LIVE_CHANNELS[topic], payload);
  }

  /** Connects and listens, then checks the connection on schedule; rejects when it cannot. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('the live signals were stopped');
    if (!this.client) await this.connect();
    this.checks ??= startPeriodicJob(
      {
        name: 'check the listening connection',
        everyMs: this.options.checkEveryMs,
        logger: this.logger,
      },
      () => this.check(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connecting?.catch(() => undefined);
    // Connections first: a check's query on one then fails at once instead of at its deadline.
    this.drop();
    await this.checks?.stop();
  }

  /** Whether the listening connection is up. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** Opens the connection (if none is open or opening) and listens; every subscriber resumes. */
  connect(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the live signals were stopped'));
    if (this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** A read on the listening connection; rejects when it is down. */
  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    const client = this.client;
    if (!client) throw new Error('the listening connection is down');
    return (await client.query<R>(sql, values)).rows;
  }

  /**
   * A check on a live connection; a new connection otherwise. A check that does not answer in
   * time counts as a lost connection (one that went silent never errors by itself).
   */
  private async check(): Promise<void> {
    if (this.stopped) return;
    try {
      await withDeadline(
        this.client ? this.query('select 1').then(() => undefined) : this.connect(),
        this.options.answerWithinMs,
      );
      if (this.failing) this.logger.info('live signals: listening again');
      this.failing = false;
    } catch (error) {
      if (this.stopped) return;
      // Once per outage: a check every second would otherwise repeat it every second.
      if (!this.failing) {
        this.logger.warn(
          { err: error },
          'live signals: the listening connection is lost; reconnecting',
        );
      }
      this.failing = true;
      this.drop();
    }
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: LISTEN_APPLICATION_NAME,
      connectionTimeoutMillis: 5_000,
      // A connection that goes silent (a NAT forgetting it, a failover) is noticed by the check's
      // own deadline; keep-alives also let the kernel give up on it.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    this.opening = client;
    client.on('notification', (message) => this.onNotification(message.channel, message.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of Object.values(LIVE_CHANNELS)) await client.query(`listen ${channel}`);
    } catch (error) {
      this.destroy(client);
      throw error;
    } finally {
      if (this.opening === client) this.opening = null;
    }
    if (this.stopped) {
      this.destroy(client);
      return;
    }
    this.client = client;
    // Listening first, then catching up: a signal sent in between arrives either way.
    for (const forTopic of this.subscribers.values()) {
      for (const handlers of [...forTopic]) {
        try {
          handlers.onResume();
        } catch (error) {
          this.logger.warn({ err: error }, 'live signals: a subscriber failed to resume');
        }
      }
    }
  }

  private onNotification(channel: string, payload: string | undefined): void {
    const topic = (Object.keys(LIVE_CHANNELS) as LiveTopic[]).find(
      (each) => LIVE_CHANNELS[each] === channel,
    );
    if (topic === undefined) return;
    for (const handlers of [...(this.subscribers.get(topic) ?? [])])
      deliver(handlers, payload ?? '');
  }

  /**
   * The live connection closed (the server ended it, a failover): reconnect and catch up now
   * rather than at the next check. A connection that fails while opening, or one given up on,
   * waits for the next check, so an unreachable database is not retried in a loop.
   */
  private lost(client: pg.Client): void {
    const live = client === this.client;
    this.drop(client);
    if (!live || this.stopped) return;
    this.logger.info('live signals: the listening connection closed; reconnecting');
    // A failure here is the next check's to retry (and a silent new connection its to give up on).
    void this.connect().catch(() => undefined);
  }

  /**
   * Forgets a broken connection; the next check opens a new one. Its socket is destroyed rather
   * than ended: ending waits for a server that may never answer.
   */
  private drop(client?: pg.Client): void {
    if (client === undefined) {
      // Everything: the live connection, and one still being opened.
      for (const each of [this.client, this.opening]) if (each) this.destroy(each);
      this.client = this.opening = null;
      this.connecting = null;
      return;
    }
    if (client === this.client) this.client = null;
    this.destroy(client);
  }

  private destroy(client: pg.Client): void {
    const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } })
      .connection?.stream;
    stream?.destroy();
    void client.end().catch(() => undefined);
  }
}
