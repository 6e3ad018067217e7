import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { BetterAuthDatabase } from '../auth/better-auth.js';
import {
  UNBOUNDED_STATEMENTS,
  type DatabaseConfig,
  type DatabaseTimeouts,
} from '../config/database-config.js';
import { markAsConnectionFailure } from './database-errors.js';
import { createOrm, type OrmLog } from './mikro-orm/mikro-orm.js';

/** The service's database: MikroORM's pool, and the connection Better Auth is given. */
export interface Database {
  readonly config: DatabaseConfig;
  readonly orm: MikroORM;
  readonly forBetterAuth: BetterAuthDatabase;
  close(): Promise<void>;
}

/**
 * Opens the database. On PostgreSQL, Better Auth borrows connections from MikroORM's pool, so an
 * instance opens at most DATABASE_POOL_SIZE connections for its requests (Neon's small computes
 * allow few), and its queries have the same timeouts. On SQLite, Better Auth gets its own handle
 * on the same file.
 */
export async function openDatabase(
  config: DatabaseConfig,
  log: OrmLog,
  timeouts: DatabaseTimeouts = UNBOUNDED_STATEMENTS,
): Promise<Database> {
  const orm = await createOrm(config, log, timeouts);
  markConnectionFailures(orm);
  if (config.kind === 'postgres') {
    return { config, orm, forBetterAuth: lentPool(orm), close: () => orm.close() };
  }
  mkdirSync(dirname(config.path), { recursive: true });
  const sqlite = new SqliteDatabase(config.path);
  sqlite.pragma('journal_mode = WAL');
  return {
    config,
    orm,
    forBetterAuth: sqlite,
    close: async () => {
      await orm.close();
      sqlite.close();
    },
  };
}

/** A raw pg client as knex's pool hands it out. */
interface PooledClient {
  query(config: { text: string; values: unknown[]; types: typeof pg.types }): Promise<unknown>;
}

interface KnexClient {
  acquireConnection(): Promise<PooledClient>;
  releaseConnection(client: PooledClient): Promise<unknown>;
}

function knexClientOf(orm: MikroORM): KnexClient {
  return (orm.em as EntityManager).getKnex().client as KnexClient;
}

/**
 * Tags every failure to obtain a connection, whatever the server or the driver said (refused,
 * reset, TLS, a database closed to connections, too many connections, a rotated password, a
 * suspended compute): each is an outage, never the request's fault. The tag survives MikroORM's
 * wrapping of driver errors, which copies their own properties.
 */
function markConnectionFailures(orm: MikroORM): void {
  const client = knexClientOf(orm);
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = () =>
    acquire().catch((error: unknown) => {
      throw markAsConnectionFailure(error);
    });
}

/**
 * MikroORM's (knex's) pool in the shape of a `pg.Pool`, which is what Better Auth's Kysely
 * dialect asks for: `connect()` lends a client, `release()` gives it back. Closing is MikroORM's.
 */
function lentPool(orm: MikroORM): BetterAuthDatabase {
  const knex = knexClientOf(orm);
  const lent = new WeakMap<PooledClient, object>();
  const lend = (client: PooledClient) => {
    let wrapped = lent.get(client);
    if (!wrapped) {
      wrapped = {
        // MikroORM's connections read timestamps as strings; Better Auth compares Dates (session
        // expiry), so its queries use pg's own type parsers.
        query: (sql: string, params: readonly unknown[]) =>
          client.query({ text: sql, values: [...params], types: pg.types }),
        release: () => void knex.releaseConnection(client),
      };
      lent.set(client, wrapped);
    }
    return wrapped;
  };
  const pool = {
    connect: async () => lend(await knex.acquireConnection()),
    end: async () => undefined,
  };
  return pool as unknown as BetterAuthDatabase;
}
