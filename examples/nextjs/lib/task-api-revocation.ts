/**
 * Makes a token stop working before it expires, in every Task API instance within seconds, when
 * your app (the issuer) ends its session, changes the user's password or deletes the user. For an
 * app that shares its PostgreSQL database with the API (the original design: both on Neon): each
 * event is a row of the API's `token_revocation` table and a `pg_notify` on `token_revocation`,
 * which every API instance listens to. The API's migrations create the table: run them first.
 * Copy this file into your app, next to task-api-jwt.ts, and add the plugin in lib/auth.ts.
 *
 * Without a shared database there is nobody to tell: tokens then live until `exp`, so keep their
 * lifetime short (TASK_API_TOKEN_LIFETIME_SECONDS).
 */
import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import type pg from 'pg';

export interface TaskApiRevocationOptions {
  /** A pool on the database the Task API uses. */
  readonly pool: pg.Pool;
  /** How long the tokens live (task-api-jwt.ts): a revocation is kept that long. */
  readonly tokenLifetimeSeconds: number;
}

/** Closes the user's task count: a create waiting on its row lock then finds it closed. */
const CLOSE_COUNT = `insert into "task_count" ("user_id", "tasks", "closed_until") values ($1, 0, $2)
  on conflict ("user_id") do update set "tasks" = 0, "closed_until" = excluded."closed_until"`;

/** The row and the notification commit together, in one statement. */
const RECORD = `with saved as (
  insert into "token_revocation" ("kind", "subject", "issued_before", "expires_at", "recorded_at")
  values ($1, $2, $3, $4, now())
  on conflict ("kind", "subject") do update set
    "issued_before" = greatest("token_revocation"."issued_before", excluded."issued_before"),
    "expires_at" = greatest("token_revocation"."expires_at", excluded."expires_at"),
    "recorded_at" = excluded."recorded_at"
  returning "kind", "subject", "issued_before", "expires_at")
select pg_notify('token_revocation', json_build_object(
  'kind', "kind", 'subject', "subject", 'issuedBefore', "issued_before", 'expiresAt', "expires_at")::text)
from saved`;

/** Paths that end many sessions: every earlier token of the user ends. */
const SESSION_ENDING_PATHS = new Set(['/revoke-sessions', '/revoke-other-sessions']);
const CHANGE_PASSWORD = '/change-password';

/**
 * Each revocation is written BEFORE the deletion it stands for: if the write fails, the sign-out
 * fails with it and can be retried, instead of leaving tokens working.
 */
export function taskApiRevocation({ pool, tokenLifetimeSeconds }: TaskApiRevocationOptions) {
  const until = () => new Date(Date.now() + (tokenLifetimeSeconds + 60) * 1000);
  const endSession = (sessionId: string) =>
    pool.query(RECORD, ['session', sessionId, null, until()]);
  /** `iat` counts whole seconds: every token issued up to now, this second included, is void. */
  const endUserTokens = (db: Pick<pg.Pool, 'query'>, userId: string) => {
    const issuedBefore = Math.floor(Date.now() / 1000) + 1;
    return db.query(RECORD, ['user', userId, issuedBefore, until()]);
  };
  return {
    id: 'task-api-revocation',
    init: () => ({
      options: {
        databaseHooks: {
          // Once per session about to be deleted: sign-out, revoked sessions, reset, deletion.
          session: { delete: { before: async (session) => void (await endSession(session.id)) } },
          // The user's tokens stop working, and their tasks go with them (the right to erasure),
          // in one transaction that first closes their task count, so no create slips in.
          user: { delete: { before: async (user) => eraseUser(user.id) } },
          // A password change ends every earlier token once Better Auth has accepted it (the
          // current password right, the new one long enough): a typo signs no device out.
          account: {
            update: {
              before: async (account, ctx) => {
                if (ctx?.path !== CHANGE_PASSWORD || account.password === undefined) return;
                const userId = (ctx.context as { session?: { user: { id: string } } }).session?.user
                  .id;
                if (userId) await endUserTokens(pool, userId);
              },
            },
          },
        },
      },
    }),
    hooks: {
      before: [
        {
          // Better Auth's sign-out swallows a failed session delete and answers success: the
          // session is ended here first, so a failure fails the sign-out, which can be retried.
          matcher: (context) => context.path === '/sign-out',
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            if (session) await endSession(session.session.id);
          }),
        },
        {
          matcher: (context) => SESSION_ENDING_PATHS.has(context.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            if (session) await endUserTokens(pool, session.user.id);
          }),
        },
      ],
      after: [
        {
          // Answer once the cut-off's second has begun: a token fetched after the answer works.
          // A refused password change cut nothing off: it is answered at once.
          matcher: (context) =>
            SESSION_ENDING_PATHS.has(context.path ?? '') || context.path === CHANGE_PASSWORD,
          handler: createAuthMiddleware(async (ctx) => {
            if (ctx.path === CHANGE_PASSWORD && isAPIError(ctx.context.returned)) return;
            await new Promise<void>((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;

  async function eraseUser(userId: string): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(CLOSE_COUNT, [userId, until()]);
      await client.query('delete from "task" where "user_id" = $1', [userId]);
      await client.query('delete from "idempotency_key" where "user_id" = $1', [userId]);
      await endUserTokens(client, userId);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
