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
import { createAuthMiddleware } from 'better-auth/api';
import type pg from 'pg';

export interface TaskApiRevocationOptions {
  /** A pool on the database the Task API uses. */
  readonly pool: pg.Pool;
  /** How long the tokens live (task-api-jwt.ts): a revocation is kept that long. */
  readonly tokenLifetimeSeconds: number;
}

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

export function taskApiRevocation({ pool, tokenLifetimeSeconds }: TaskApiRevocationOptions) {
  const until = () => new Date(Date.now() + (tokenLifetimeSeconds + 60) * 1000);
  const endSession = (sessionId: string) =>
    pool.query(RECORD, ['session', sessionId, null, until()]);
  /** `iat` counts whole seconds: every token issued up to now, this second included, is void. */
  const endUserTokens = async (userId: string) => {
    const issuedBefore = Math.floor(Date.now() / 1000) + 1;
    await pool.query(RECORD, ['user', userId, issuedBefore, until()]);
    return new Date(issuedBefore * 1000);
  };
  return {
    id: 'task-api-revocation',
    init: () => ({
      options: {
        databaseHooks: {
          // Runs once per deleted session: sign-out, revoked sessions, password reset, deletion.
          session: { delete: { after: async (session) => void (await endSession(session.id)) } },
          // The user's tokens stop working, and their tasks go with them (the right to erasure).
          user: {
            delete: {
              before: async (user) => {
                await endUserTokens(user.id);
                await pool.query('delete from "task" where "user_id" = $1', [user.id]);
                await pool.query('delete from "task_count" where "user_id" = $1', [user.id]);
                await pool.query('delete from "idempotency_key" where "user_id" = $1', [user.id]);
              },
            },
          },
        },
      },
    }),
    hooks: {
      after: [
        {
          matcher: (context) => context.path === '/change-password',
          handler: createAuthMiddleware(async (ctx) => {
            const userId = ctx.context.session?.user.id;
            if (!userId || ctx.context.returned instanceof Error) return;
            // Answer once the cut-off's second has begun: a token fetched after the answer works.
            const cutoff = await endUserTokens(userId);
            await new Promise((resolve) => setTimeout(resolve, cutoff.getTime() - Date.now()));
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
