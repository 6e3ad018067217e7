import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database created for one run on the bench server, dropped by `drop()`. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** A connection to the bench database, for seeding and EXPLAIN. */
  readonly client: pg.Client;
  drop(): Promise<void>;
}

export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `bench_${new Date().toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await client.end().catch(() => undefined);
    await admin(adminUrl, `drop database if exists "${name}" with (force)`);
  };
  try {
    await client.connect();
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url: url.toString(), client, drop };
}

/** The server's version string, for the results. */
export async function serverVersion(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ server_version: string }>('show server_version');
  return rows[0]?.server_version ?? 'unknown';
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
