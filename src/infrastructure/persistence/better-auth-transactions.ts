import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, type Transaction, type TransactionBuilder } from 'kysely';

/**
 * A Better Auth transaction as it runs: the pooled connection it holds, for the code that runs
 * inside it (Better Auth's database hooks, ours among them: revocations, cut-offs).
 */
export interface TransactionRun<Connection = unknown> {
  /** Whether Kysely has asked for the transaction's connection yet. */
  opened: boolean;
  /** The connection the transaction holds, once it holds one, until it ends. */
  connection: Connection | null;
}

const runs = new AsyncLocalStorage<TransactionRun>();

/** The transaction running in this call's context, if any. */
export function currentRun<Connection>(): TransactionRun<Connection> | undefined {
  return runs.getStore() as TransactionRun<Connection> | undefined;
}

/** knex's client, as MikroORM holds it: its pool hands out and takes back raw connections. */
export interface ConnectionPool<Connection> {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown>;
}

/**
 * Makes MikroORM's pool hand a borrower running inside a Better Auth transaction that holds a
 * connection that very connection, and take nothing back from it: a hook's write joins the
 * transaction, commits or rolls back with it, and never waits for a second connection while the
 * transaction waits for the hook (with every connection held by such transactions, they would
 * wait for each other until the pool's timeout). Code that runs inside a Better Auth transaction
 * must therefore not open a transaction of its own.
 */
export function joinBetterAuthTransactions<Connection>(pool: ConnectionPool<Connection>): void {
  const acquire = pool.acquireConnection.bind(pool);
  const release = pool.releaseConnection.bind(pool);
  pool.acquireConnection = () => {
    const held = currentRun<Connection>()?.connection;
    return held ? Promise.resolve(held) : acquire();
  };
  pool.releaseConnection = (connection) =>
    connection === currentRun<Connection>()?.connection ? Promise.resolve() : release(connection);
}

/** Runs every transaction's work where `currentRun` can tell its connection to the code inside. */
export class JoinableKysely<DB> extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    const builder = super.transaction();
    const execute = builder.execute.bind(builder);
    return Object.assign(builder, {
      execute: <T>(work: (transaction: Transaction<DB>) => Promise<T>) =>
        runs.run({ opened: false, connection: null }, () => execute(work)),
    });
  }
}
