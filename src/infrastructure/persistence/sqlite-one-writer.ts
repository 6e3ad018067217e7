import type SqliteDatabase from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  SelectQueryNode,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import {
  currentRun,
  joinBetterAuthTransactions,
  JoinableKysely,
  type ConnectionPool,
  type TransactionRun as Run,
} from './better-auth-transactions.js';

/** knex's client over its one SQLite connection (a pool of one), as MikroORM holds it. */
export type SqliteConnectionPool = ConnectionPool<SqliteDatabase.Database>;

type TransactionRun = Run<SqliteDatabase.Database>;

/**
 * SQLite has one writer. The process opens ONE connection (MikroORM's pool of one) and Better
 * Auth borrows it like any MikroORM query: its statements and transactions queue with the task
 * API's, so two parts of the service never meet a locked database (with two handles, a sign-up's
 * transaction and a task write failed each other, and a hook writing through MikroORM inside
 * Better Auth's transaction could only fail).
 *
 * A Better Auth transaction takes the connection at its first write, not at its start: a
 * sign-up hashes the password inside its transaction, and holding the one connection through
 * that would queue every other request behind it. Its reads before the first write see the
 * database as it is then (a unique index still refuses a second account for one email). Code
 * that runs inside a transaction that holds the connection writes on it
 * (joinBetterAuthTransactions).
 */
export function shareSqliteConnection(pool: SqliteConnectionPool): Kysely<unknown> {
  joinBetterAuthTransactions(pool);
  return new JoinableKysely({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new LentSqliteDriver(pool),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
}

/** Kysely's SQLite driver, on a connection borrowed from the pool for each query or transaction. */
class LentSqliteDriver implements Driver {
  constructor(private readonly pool: SqliteConnectionPool) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const run = currentRun<SqliteDatabase.Database>();
    if (!run) return new BorrowingConnection(this.pool);
    if (!run.opened) {
      // Kysely asks for a transaction's connection first, before running its work.
      run.opened = true;
      return new TransactionConnection(this.pool, run);
    }
    // A query outside the transaction object, made while the transaction runs.
    return run.connection
      ? new JoiningConnection(run.connection)
      : new BorrowingConnection(this.pool);
  }

  async beginTransaction(): Promise<void> {} // at the first write (TransactionConnection)

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof TransactionConnection) await connection.end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof TransactionConnection) await connection.end('rollback');
  }

  async releaseConnection(): Promise<void> {} // each connection gives back what it took

  /** The connection is MikroORM's to close. */
  async destroy(): Promise<void> {}
}

/** Borrows the connection for each query. */
class BorrowingConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteConnectionPool) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const database = await this.pool.acquireConnection();
    try {
      return run<R>(database, query);
    } finally {
      await this.pool.releaseConnection(database);
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    return noStreaming();
  }
}

/** Runs on the connection a transaction holds. */
class JoiningConnection implements DatabaseConnection {
  constructor(private readonly database: SqliteDatabase.Database) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return run<R>(this.database, query);
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    return noStreaming();
  }
}

/** Borrows for each read until the first write; from there holds the connection until the end. */
class TransactionConnection implements DatabaseConnection {
  private readonly reads: BorrowingConnection;

  constructor(
    private readonly pool: SqliteConnectionPool,
    private readonly state: TransactionRun,
  ) {
    this.reads = new BorrowingConnection(pool);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.state.connection) {
      if (SelectQueryNode.is(query.query)) return this.reads.executeQuery<R>(query);
      const database = await this.pool.acquireConnection();
      try {
        database.exec('begin immediate');
      } catch (error) {
        await this.pool.releaseConnection(database);
        throw error;
      }
      this.state.connection = database;
    }
    return run<R>(this.state.connection, query);
  }

  async end(statement: 'commit' | 'rollback'): Promise<void> {
    const database = this.state.connection;
    if (!database) return; // it never wrote
    try {
      database.exec(statement);
    } finally {
      this.state.connection = null;
      await this.pool.releaseConnection(database);
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    return noStreaming();
  }
}

/** As Kysely's own SQLite connection runs a query. */
function run<R>(database: SqliteDatabase.Database, { sql, parameters }: CompiledQuery) {
  const statement = database.prepare(sql);
  if (statement.reader) return { rows: statement.all(...parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(...parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] as R[] };
}

// eslint-disable-next-line require-yield
async function* noStreaming<R>(): AsyncIterableIterator<QueryResult<R>> {
  throw new Error('Better Auth does not stream queries');
}
