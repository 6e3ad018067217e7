import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../../application/shared/clock.port.js';
import { DependencyUnavailableError } from '../../../application/shared/dependency-unavailable.error.js';
import type { Revocation, RevocationList } from '../../auth/revocation-list.js';
import { startPeriodicJob, type PeriodicJob } from '../../system/periodic-job.js';
import { REVOCATION_CHANNEL, type Freshness } from '../mikro-orm/mikro-orm-token-revocations.js';

export interface RevocationListenerOptions {
  /** DATABASE_LISTEN_URL: a direct connection (LISTEN does not pass a transaction pooler). */
  readonly url: string;
  /** REVOCATION_MAX_STALENESS_SECONDS, in ms: past it, no token is trusted. */
  readonly maxStalenessMs: number;
  /** How often the rows are read again, in case a notification was lost. */
  readonly pollMs: number;
  /** A poll not answered within this long counts as a lost connection (it went silent). */
  readonly answerWithinMs: number;
}

interface RevocationRow {
  kind: Revocation['kind'];
  subject: string;
  issued_before: string | null;
  expires_at: Date;
}

const ROWS_SINCE = `select "kind", "subject", "issued_before", "expires_at"
  from "token_revocation" where "recorded_at" >= $1 and "expires_at" > $2`;
/** A revocation can commit a little after the time it records (its transaction's start). */
const POLL_OVERLAP_MS = 10_000;

/**
 * Keeps an instance's revocation list current from PostgreSQL: one dedicated connection LISTENs
 * on the channel every write notifies. After every (re)connect it listens first, then reads the
 * rows, so nothing sent in between is missed; a connection that closes is replaced at once. A
 * poll on the same connection catches a lost notification and proves the connection alive. When
 * the list could not be confirmed for longer than the allowed staleness, `assertCurrent` throws:
 * the API answers 503 rather than trust a token that may have been revoked.
 */
export class PostgresRevocationListener implements Freshness {
  private client: pg.Client | null = null;
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private polledSince: Date | null = null;
  /** The ticks: never two at once, so they never pile up behind a connection that went silent. */
  private ticks: PeriodicJob | null = null;
  private stopped = false;
  private connecting: Promise<void> | null = null;
  /** A connection being opened, so that a silent one can be given up on too. */
  private opening: pg.Client | null = null;
  /** The last tick failed: further failures are not logged again until one succeeds. */
  private failing = false;

  constructor(
    private readonly options: RevocationListenerOptions,
    private readonly list: RevocationList,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Connects, listens and reads every revocation in force; rejects when it cannot. */
  async start(): Promise<void> {
    await this.connect();
    if (this.stopped) return;
    this.ticks = startPeriodicJob(
      { name: 'confirm revocations', everyMs: this.options.pollMs, logger: this.logger },
      () => this.tick(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connecting?.catch(() => undefined);
    // Connections first: a tick's poll on one then fails at once instead of at its deadline.
    this.drop();
    await this.ticks?.stop();
  }

  assertCurrent(): void {
    if (this.clock.now().getTime() - this.confirmedAt > this.options.maxStalenessMs) {
      throw new DependencyUnavailableError('revocations');
    }
  }

  /** Confirms the list now: a poll on the live connection, or a new connection. */
  async refresh(): Promise<void> {
    if (this.client) await this.poll(this.client);
    else await this.connect();
  }

  /**
   * A poll on a live connection; a new connection otherwise. A poll that does not answer in time
   * counts as a lost connection (one that went silent never errors by itself).
   */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.list.prune(this.clock.now().getTime());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.answerWithinMs} ms`)),
        this.options.answerWithinMs,
      );
    });
    try {
      await Promise.race([this.refresh(), timeout]);
      if (this.failing) this.logger.info('revocations: the list is confirmed again');
      this.failing = false;
    } catch (error) {
      if (this.stopped) return;
      // Once per outage: a tick every second would otherwise repeat it every second.
      if (!this.failing) {
        this.logger.warn({ err: error }, 'revocations: cannot confirm the list; reconnecting');
      }
      this.failing = true;
      this.drop();
    } finally {
      clearTimeout(timer);
    }
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: 'task-api-revocations',
      connectionTimeoutMillis: 5_000,
      // A connection that goes silent (a NAT forgetting it, a failover) is noticed by the poll's
      // own deadline; keep-alives also let the kernel give up on it.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    this.opening = client;
    client.on('notification', (message) => this.onNotification(message.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // Listen first, then read: a revocation written in between arrives either way.
      await client.query(`listen ${REVOCATION_CHANNEL}`);
      this.polledSince = null;
      await this.poll(client);
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
  }

  private async poll(client: pg.Client): Promise<void> {
    const started = this.clock.now();
    // Rows are stamped by the database's clock: the next poll starts from its reading.
    const { rows: now } = await client.query<{ at: Date }>('select now() as at');
    const since = this.polledSince ?? new Date(0);
    const { rows } = await client.query<RevocationRow>(ROWS_SINCE, [since, started]);
    for (const row of rows) {
      this.list.apply({
        kind: row.kind,
        subject: row.subject,
        issuedBefore: row.issued_before === null ? null : Number(row.issued_before),
        expiresAt: row.expires_at,
      });
    }
    this.polledSince = new Date((now[0]?.at ?? started).getTime() - POLL_OVERLAP_MS);
    this.confirmedAt = started.getTime();
  }

  private onNotification(payload: string | undefined): void {
    try {
      const revocation = JSON.parse(payload ?? '') as {
        kind: Revocation['kind'];
        subject: string;
        issuedBefore: number | null;
        expiresAt: string;
      };
      this.list.apply({ ...revocation, expiresAt: new Date(revocation.expiresAt) });
    } catch (error) {
      this.logger.warn({ err: error }, 'revocations: a notification could not be read');
    }
  }

  /**
   * The live connection closed (the server ended it, a failover): reconnect and catch up now
   * rather than at the next poll. A connection that fails while opening, or one given up on,
   * waits for the next tick, so an unreachable database is not retried in a loop.
   */
  private lost(client: pg.Client): void {
    const live = client === this.client;
    this.drop(client);
    if (!live || this.stopped) return;
    this.logger.info('revocations: the listening connection closed; reconnecting');
    // A failure here is the next tick's to retry (and a silent new connection its to give up on).
    void this.connect().catch(() => undefined);
  }

  /**
   * Forgets a broken connection; the next tick opens a new one. Its socket is destroyed rather
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
