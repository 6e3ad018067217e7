import type { Logger } from 'pino';
import type { Clock } from '../../../application/shared/clock.port.js';
import { DependencyUnavailableError } from '../../../application/shared/dependency-unavailable.error.js';
import type { Revocation, RevocationList } from '../../auth/revocation-list.js';
import { startPeriodicJob, type PeriodicJob } from '../../system/periodic-job.js';
import type { Freshness } from '../mikro-orm/mikro-orm-token-revocations.js';
import type { PostgresLiveSignals } from './postgres-live-signals.js';
import { withDeadline } from './with-deadline.js';

export interface RevocationListenerOptions {
  /** REVOCATION_MAX_STALENESS_SECONDS, in ms: past it, no token is trusted. */
  readonly maxStalenessMs: number;
  /** How often the rows are read again, in case a notification was lost. */
  readonly pollMs: number;
  /** A poll not answered within this long fails (the list is not confirmed by it). */
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
 * Keeps an instance's revocation list current from PostgreSQL, as a subscriber of the instance's
 * one listening connection (`PostgresLiveSignals`, topic `revocations`): every write notifies its
 * channel. After every (re)connect the connection listens first, then this reads the rows, so
 * nothing sent in between is missed. A poll on the same connection catches a lost notification;
 * the live signals give up on a connection that goes silent and replace one that closes. When the
 * list could not be confirmed for longer than the allowed staleness, `assertCurrent` throws: the
 * API answers 503 rather than trust a token that may have been revoked.
 */
export class PostgresRevocationListener implements Freshness {
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private polledSince: Date | null = null;
  /** The ticks: never two at once, so they never pile up behind a connection that went silent. */
  private ticks: PeriodicJob | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  /** The last tick failed: further failures are not logged again until one succeeds. */
  private failing = false;

  constructor(
    private readonly options: RevocationListenerOptions,
    private readonly signals: PostgresLiveSignals,
    private readonly list: RevocationList,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Listens, and reads every revocation in force; rejects when it cannot. */
  async start(): Promise<void> {
    this.unsubscribe ??= this.signals.subscribe('revocations', {
      onSignal: (payload) => this.onNotification(payload),
      onResume: () => this.resumed(),
    });
    await this.signals.start();
    await this.refresh();
    if (this.stopped) return;
    this.ticks ??= startPeriodicJob(
      { name: 'confirm revocations', everyMs: this.options.pollMs, logger: this.logger },
      () => this.tick(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.ticks?.stop();
  }

  /** Seconds since the list was last confirmed, and whether the LISTEN connection is up. */
  state(): { stalenessSeconds: number; listening: boolean } {
    const staleness = (this.clock.now().getTime() - this.confirmedAt) / 1000;
    return { stalenessSeconds: Math.max(0, staleness), listening: this.signals.connected };
  }

  assertCurrent(): void {
    if (this.clock.now().getTime() - this.confirmedAt > this.options.maxStalenessMs) {
      throw new DependencyUnavailableError('revocations');
    }
  }

  /** Confirms the list now: a poll on the live connection (a new connection if need be). */
  async refresh(): Promise<void> {
    if (!this.signals.connected) await this.signals.connect();
    await this.poll();
  }

  /** A poll, within its deadline; a failure leaves the list unconfirmed (and stale in time). */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.list.prune(this.clock.now().getTime());
    try {
      await withDeadline(this.refresh(), this.options.answerWithinMs);
      if (this.failing) this.logger.info('revocations: the list is confirmed again');
      this.failing = false;
    } catch (error) {
      if (this.stopped) return;
      // Once per outage: a tick every second would otherwise repeat it every second.
      if (!this.failing) {
        this.logger.warn({ err: error }, 'revocations: cannot confirm the list');
      }
      this.failing = true;
    }
  }

  /** The connection was (re)opened: notifications may have been missed, so read every row. */
  private resumed(): void {
    this.polledSince = null;
    // A failure here is the next tick's to retry.
    void this.poll().catch(() => undefined);
  }

  private async poll(): Promise<void> {
    const started = this.clock.now();
    // Rows are stamped by the database's clock: the next poll starts from its reading.
    const now = await this.signals.query<{ at: Date }>('select now() as at');
    const since = this.polledSince ?? new Date(0);
    const rows = await this.signals.query<RevocationRow>(ROWS_SINCE, [since, started]);
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

  private onNotification(payload: string): void {
    try {
      const revocation = JSON.parse(payload) as {
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
}
