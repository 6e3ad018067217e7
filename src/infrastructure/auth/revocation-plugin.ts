import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { SessionNotFoundError } from '../../application/auth/auth.errors.js';

/** What the API does when Better Auth ends sessions or changes who may hold tokens. */
export interface SessionEvents {
  /** A session row is about to be deleted (sign-out, revoke, password reset, the user deleted). */
  sessionEnded(sessionId: string): Promise<void>;
  /** The user's tokens issued until now stop working; resolves with the cut-off. */
  userTokensEnded(userId: string): Promise<{ cutoff: Date }>;
  /** The user is being deleted: every token and everything the API keeps of them goes. */
  userDeleted(userId: string): Promise<void>;
}

export interface PasswordChangeRules {
  /**
   * A change that does not say `revokeOtherSessions` keeps the user's other sessions (true), or
   * ends them (false), so that a stolen session cookie stops minting tokens.
   */
  readonly keepsOtherSessions: boolean;
}

/**
 * Endpoints that end many sessions: Better Auth fires its per-row hooks for at most 100 sessions
 * of a bulk delete, so these cut off every token of the user instead.
 */
const SESSION_ENDING_PATHS = new Set(['/revoke-sessions', '/revoke-other-sessions']);
const CHANGE_PASSWORD = '/change-password';

/**
 * Better Auth's hooks, turned into revocations, written BEFORE the deletion or change they stand
 * for: if a write fails, the sign-out or password change fails with it and can be retried, rather
 * than leave tokens working with nothing to revoke them later. The events are idempotent (two
 * racing deletes end the same session twice). A cut-off answers only once the next whole second
 * has begun: `iat` counts whole seconds, so a token fetched after the answer is never taken for
 * one fetched before the cut-off.
 *
 * A password change cuts off the user's tokens only once Better Auth has accepted it (the current
 * password right, the new one long enough): the cut-off is written as the new password is, inside
 * the same transaction, so a typo signs no device out.
 */
export function revocationPlugin(
  events: SessionEvents,
  passwordChange: PasswordChangeRules,
): BetterAuthPlugin {
  return {
    id: 'task-api-revocation',
    init: () => ({
      options: {
        databaseHooks: {
          session: { delete: { before: (session) => events.sessionEnded(session.id) } },
          // The user goes only once their tokens and tasks have.
          user: { delete: { before: (user) => events.userDeleted(user.id) } },
          account: {
            update: {
              // Better Auth writes the new password hash only after checking the change.
              before: async (account, ctx) => {
                if (ctx?.path !== CHANGE_PASSWORD || account.password === undefined) return;
                const userId = (ctx.context as { session?: { user: { id: string } } }).session?.user
                  .id;
                if (userId) await events.userTokensEnded(userId);
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
            if (session) await events.sessionEnded(session.session.id);
          }),
        },
        {
          matcher: (context) => SESSION_ENDING_PATHS.has(context.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            if (session) await events.userTokensEnded(session.user.id);
          }),
        },
        {
          // Better Auth answers {"status":true} for a token of another user's session, and ends
          // nothing: say what happened instead (the same answer as for no session at all).
          matcher: (context) => context.path === '/revoke-session',
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            const token: unknown = (ctx.body as { token?: unknown } | undefined)?.token;
            if (!session || typeof token !== 'string') return; // Better Auth's own 401 or 400
            const target = await ctx.context.internalAdapter.findSession(token);
            if (target?.session.userId !== session.user.id) throw new SessionNotFoundError();
          }),
        },
        {
          matcher: (context) =>
            context.path === CHANGE_PASSWORD && !passwordChange.keepsOtherSessions,
          handler: createAuthMiddleware(async (ctx) => {
            const body = ctx.body as Record<string, unknown> | undefined;
            if (!body || body.revokeOtherSessions !== undefined) return;
            return { context: { body: { ...body, revokeOtherSessions: true } } };
          }),
        },
      ],
      after: [
        {
          matcher: (context) =>
            SESSION_ENDING_PATHS.has(context.path ?? '') || context.path === CHANGE_PASSWORD,
          handler: createAuthMiddleware(async (ctx) => {
            // A refused change cut nothing off: answer it at once.
            if (ctx.path === CHANGE_PASSWORD && isAPIError(ctx.context.returned)) return;
            await sleepUntilNextSecond();
          }),
        },
      ],
    },
  };
}

function sleepUntilNextSecond(): Promise<void> {
  const now = Date.now();
  return new Promise((resolve) => setTimeout(resolve, 1000 - (now % 1000)));
}
