import type { Migration } from '@mikro-orm/migrations';

/**
 * Creates the PostgreSQL extensions that are missing. Both used here are trusted, so the database
 * owner may create them (Neon's default role can); a role without CREATE on the database needs
 * the owner to create them once, and is told so.
 */
export async function createExtensions(migration: Migration, names: string[]): Promise<void> {
  const present = (await migration.execute(
    `select "extname" from "pg_extension" where "extname" in (${names.map(() => '?').join(', ')})`,
    names,
  )) as { extname: string }[];
  const missing = names.filter((name) => !present.some((row) => row.extname === name));
  for (const name of missing) {
    try {
      await migration.execute(`create extension if not exists "${name}"`);
    } catch (error) {
      throw new Error(
        `The task table needs the PostgreSQL extensions ${names.join(' and ')}, and this role may not create ${name}. ` +
          `Ask the database owner to run: ${missing.map((m) => `create extension ${m};`).join(' ')}`,
        { cause: error },
      );
    }
  }
}
