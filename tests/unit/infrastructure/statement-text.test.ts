import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import knex from 'knex';
import { withoutValues } from '../../../src/infrastructure/observability/statement-text.js';

/** How MikroORM (through knex) writes a value into a PostgreSQL statement's text. */
const pg = knex({ client: 'pg' });
const inlined = (sql: string, values: readonly knex.Knex.Value[]) =>
  pg.raw(sql, [...values]).toString();

describe('withoutValues (statement text for a trace)', () => {
  it('replaces every literal and keeps the statement’s shape', () => {
    const sql = inlined(
      'insert into "task" ("title", "user_id", "version", "due_at", "completed") values (?, ?, ?, ?, ?)',
      ['Collect the parcel', 'swBraWX67t9G', 12, new Date('2026-12-08T00:07:56Z'), false],
    );
    expect(withoutValues(sql)).toBe(
      'insert into "task" ("title", "user_id", "version", "due_at", "completed") values (?, ?, ?, ?, false)',
    );
  });

  it('keeps placeholders, quoted names with digits, NULL and casts', () => {
    expect(
      withoutValues('select "t1".* from "task_2" as "t1" where "id" = $1 and x is null limit 51'),
    ).toBe('select "t1".* from "task_2" as "t1" where "id" = $1 and x is null limit ?');
    expect(withoutValues("select '{a,b}'::text[], 1.5e3, .5, $tag$it's$tag$")).toBe(
      'select ?::text[], ?, ?, ?',
    );
  });

  it('leaves no trace of any value knex writes into a statement, quotes and backslashes included', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (first, second) => {
        const sql = inlined('update "task" set "title" = ?, "description" = ? where "id" = $1', [
          first,
          second,
        ]);
        expect(withoutValues(sql)).toBe(
          'update "task" set "title" = ?, "description" = ? where "id" = $1',
        );
      }),
    );
  });
});
