import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import type { BetterAuthDatabase } from '../auth/better-auth.js';
import {
  UNBOUNDED_STATEMENTS,
  type DatabaseConfig,
  type DatabaseTimeouts,
} from '../config/database-config.js';
import { markAsConnectionFailure } from './database-errors.js';
import { createOrm, type OrmLog } from './mikro-orm/mikro-orm.js';
import {
  currentRun,
  joinBetterAuthTransactions,
  JoinableKysely,
} from './better-auth-transactions.js';
import { shareSqliteConnection, type SqliteConnectionPool } from './sqlite-one-writer.js';

/** The service's database: MikroORM's pool, and the connection Better Auth is given. */
export interface Database {
  readonly config: DatabaseConfig;
  readonly orm: MikroORM;
  readonly forBetterAuth: BetterAuthDatabase;
  /** The pool's connections now: lent out, free, and requests waiting for one. */
  poolState(): { inUse: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** What the pool reports as it works (metrics). */
export interface PoolEvents {
  /** A connection was obtained after waiting this long (Better Auth's borrowings included). */
  readonly connectionAcquired?: (seconds: number) => void;
}

/**
 * Opens the database. On PostgreSQL, Better Auth borrows connections from MikroORM's pool, so an
 * instance opens at most DATABASE_POOL_SIZE connections for its requests (Neon's small computes
 * allow few), and its queries have the same timeouts. On SQLite, Better Auth borrows MikroORM's
 * one connection too: the process has one writer (see shareSqliteConnection).
 */
export async function openDatabase(
  config: DatabaseConfig,
  log: OrmLog,
  timeouts: DatabaseTimeouts = UNBOUNDED_STATEMENTS,
  events: PoolEvents = {},
): Promise<Database> {
  const orm = await createOrm(config, log, timeouts);
  watchAcquires(orm, events);
  const poolState = () => {
    const pool = knexClientOf(orm).pool;
    if (!pool) return { inUse: 0, idle: 0, waiting: 0 };
    return { inUse: pool.numUsed(), idle: pool.numFree(), waiting: pool.numPendingAcquires() };
  };
  if (config.kind === 'postgres') {
    return { config, orm, forBetterAuth: lentPool(orm), poolState, close: () => orm.close() };
  }
  const shared = shareSqliteConnection(knexClientOf(orm) as unknown as SqliteConnectionPool);
  return {
    config,
    orm,
    forBetterAuth: { db: shared, type: 'sqlite', transaction: true },
    poolState,
    close: () => orm.close(),
  };
}

/** A raw pg client as knex's pool hands it out. */
interface PooledClient {
  query(config: { text: string; values: unknown[]; types: typeof pg.types }): Promise<unknown>;
}

/** knex's pool (tarn), closed (undefined) once the ORM is. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

interface KnexClient {
  readonly pool: TarnPool | undefined;
  acquireConnection(): Promise<PooledClient>;
  releaseConnection(client: PooledClient): Promise<unknown>;
}

function knexClientOf(orm: MikroORM): KnexClient {
  return (orm.em as EntityManager).getKnex().client as KnexClient;
}

/**
 * Every connection obtained from the pool, MikroORM's and Better Auth's: reports how long it took,
 * and tags every failure to obtain one, whatever the server or the driver said (refused, reset,
 * TLS, a database closed to connections, too many connections, a rotated password, a suspended
 * compute): each is an outage, never the request's fault. The tag survives MikroORM's wrapping of
 * driver errors, which copies their own properties.
 */
function watchAcquires(orm: MikroORM, { connectionAcquired }: PoolEvents): void {
  const client = knexClientOf(orm);
  const acquire = client.acquireConnection.bind(client);
  const failed = (error: unknown) => {
    throw markAsConnectionFailure(error);
  };
  if (!connectionAcquired) {
    client.acquireConnection = () => acquire().catch(failed);
    return;
  }
  client.acquireConnection = () => {
    const started = performance.now();
    return acquire().then((connection) => {
      connectionAcquired((performance.now() - started) / 1000);
      return connection;
    }, failed);
  };
}

/**
 * MikroORM's (knex's) pool in the shape of a `pg.Pool`, which is what Kysely's PostgreSQL dialect
 * asks for: `connect()` lends a client, `release()` gives it back. Closing is MikroORM's. A Better
 * Auth transaction holds the client it was lent; code running inside it (its hooks) gets the same
 * client, from Kysely or from MikroORM (joinBetterAuthTransactions), so their writes are part of
 * the transaction and never wait for a second connection while it waits for them.
 */
function lentPool(orm: MikroORM): BetterAuthDatabase {
  const knex = knexClientOf(orm);
  joinBetterAuthTransactions(knex);
  const lent = new WeakMap<PooledClient, object>();
  // MikroORM's connections read timestamps as strings; Better Auth compares Dates (session
  // expiry), so its queries use pg's own type parsers.
  const query = (client: PooledClient) => (sql: string, params: readonly unknown[]) =>
    client.query({ text: sql, values: [...params], types: pg.types });
  const borrowed = (client: PooledClient) => {
    let wrapped = lent.get(client);
    if (!wrapped) {
      wrapped = { query: query(client), release: () => void knex.releaseConnection(client) };
      lent.set(client, wrapped);
    }
    return wrapped;
  };
  const pool = {
    connect: async () => {
      const run = currentRun<PooledClient>();
      // A query made while a transaction holds a client: on that client, given back by nobody.
      if (run?.connection) return { query: query(run.connection), release: () => undefined };
      const client = await knex.acquireConnection();
      if (!run || run.opened) return borrowed(client);
      // Kysely asks for a transaction's client first, before running its work.
      run.opened = true;
      run.connection = client;
      return {
        query: query(client),
        release: () => {
          run.connection = null;
          void knex.releaseConnection(client);
        },
      };
    },
    end: async () => undefined,
  };
  return {
    db: new JoinableKysely({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) }),
    type: 'postgres',
    transaction: true,
  };
}
