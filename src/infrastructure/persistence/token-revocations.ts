import type { Logger } from 'pino';
import type { TokenRevocations } from '../../application/auth/token-revocations.port.js';
import type { Clock } from '../../application/shared/clock.port.js';
import { RevocationList } from '../auth/revocation-list.js';
import {
  startPeriodicJob,
  type PeriodicJob,
  type PeriodicSchedule,
} from '../system/periodic-job.js';
import type { Database } from './database.js';
import {
  ALWAYS_CURRENT,
  MikroOrmTokenRevocations,
} from './mikro-orm/mikro-orm-token-revocations.js';
import type { PostgresLiveSignals } from './postgres/postgres-live-signals.js';
import { PostgresRevocationListener } from './postgres/revocation-listener.js';

/** The revocations port, and the background work that keeps it current. */
export interface RevocationsService {
  readonly revocations: TokenRevocations;
  /** Once the tables exist: reads every revocation in force and keeps the list current. */
  start(): Promise<void>;
  /** Confirms the list now rather than at the next poll (a new connection if need be). */
  refresh(): Promise<void>;
  /**
   * How current the list is, for metrics: seconds since it was confirmed, and whether its LISTEN
   * connection is up. Null on SQLite, where this process writes every revocation itself.
   */
  readonly state: (() => { stalenessSeconds: number; listening: boolean }) | null;
  stop(): Promise<void>;
}

export interface DatabaseRevocationsSettings {
  /** REVOCATION_MAX_STALENESS_SECONDS: past it, no token is trusted. */
  readonly maxStalenessSeconds: number;
  /** When expired revocations are deleted. */
  readonly purges: PeriodicSchedule;
}

const PURGE_BATCH = 1_000;

/**
 * How often the listening connection and the revocation rows are checked, and how long a check may
 * take: a poll interval plus one answer stays within the 2 s the README promises, and a silent
 * connection is given up on well within the staleness allowed.
 */
export function listenTimings(maxStalenessSeconds: number): {
  everyMs: number;
  answerWithinMs: number;
} {
  return {
    everyMs: Math.min(1_000, (maxStalenessSeconds * 1000) / 3),
    answerWithinMs: Math.min(5_000, (maxStalenessSeconds * 1000) / 3),
  };
}

/**
 * Revocations in the database. PostgreSQL: every instance listens for the others' writes on its
 * one listening connection (`signals`, on DATABASE_LISTEN_URL) and polls as a fallback. SQLite:
 * one process, which writes and applies every revocation itself, and reads them back at start
 * (they survive a restart).
 */
export function databaseRevocations(
  database: Database,
  clock: Clock,
  logger: Logger,
  { maxStalenessSeconds, purges }: DatabaseRevocationsSettings,
  signals: PostgresLiveSignals | null,
): RevocationsService {
  const list = new RevocationList();
  const { config } = database;
  if (config.kind === 'postgres' && !signals) {
    throw new Error('revocations on PostgreSQL need its listening connection');
  }
  const { everyMs, answerWithinMs } = listenTimings(maxStalenessSeconds);
  const listener =
    config.kind === 'postgres' && signals
      ? new PostgresRevocationListener(
          { maxStalenessMs: maxStalenessSeconds * 1000, pollMs: everyMs, answerWithinMs },
          signals,
          list,
          clock,
          logger,
        )
      : null;
  const store = new MikroOrmTokenRevocations(
    database.orm,
    config.kind === 'postgres' ? 'postgresql' : 'sqlite',
    list,
    clock,
    listener ?? ALWAYS_CURRENT,
  );
  let purge: PeriodicJob | null = null;
  return {
    revocations: store,
    start: async () => {
      if (listener) await listener.start();
      else await store.load();
      purge = startPeriodicJob({ name: 'purge expired revocations', ...purges, logger }, () => {
        list.prune(clock.now().getTime());
        return store.purgeExpired(PURGE_BATCH);
      });
    },
    refresh: async () => {
      await listener?.refresh();
    },
    state: listener && (() => listener.state()),
    stop: async () => {
      await purge?.stop();
      await listener?.stop();
    },
  };
}
