import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';

/** What the API does when Better Auth ends sessions or changes who may hold tokens. */
export interface SessionEvents {
  /** A session row is about to be deleted (sign-out, revoke, password reset, the user deleted). */
  sessionEnded(sessionId: string): Promise<void>;
  /** The user's tokens issued until now stop working; resolves with the cut-off. */
  userTokensEnded(userId: string): Promise<{ cutoff: Date }>;
  /** The user is being deleted: every token and everything the API keeps of them goes. */
  userDeleted(userId: string): Promise<void>;
}

/**
 * Endpoints that end many sessions, or change the password: Better Auth fires its per-row hooks
 * for at most 100 sessions of a bulk delete, so these cut off every token of the user instead.
 */
const CUT_OFF_PATHS = new Set(['/change-password', '/revoke-sessions', '/revoke-other-sessions']);

/**
 * Better Auth's hooks, turned into revocations, written BEFORE the deletion or change they stand
 * for: if a write fails, the sign-out or password change fails with it and can be retried, rather
 * than leave tokens working with nothing to revoke them later. The events are idempotent (two
 * racing deletes end the same session twice). A cut-off path answers only once the next whole
 * second has begun: `iat` counts whole seconds, so a token fetched after the answer is never
 * taken for one fetched before the cut-off.
 */
export function revocationPlugin(events: SessionEvents): BetterAuthPlugin {
  return {
    id: 'task-api-revocation',
    init: () => ({
      options: {
        databaseHooks: {
          session: { delete: { before: (session) => events.sessionEnded(session.id) } },
          // The user goes only once their tokens and tasks have.
          user: { delete: { before: (user) => events.userDeleted(user.id) } },
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
          matcher: (context) => CUT_OFF_PATHS.has(context.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            if (session) await events.userTokensEnded(session.user.id);
          }),
        },
      ],
      after: [
        {
          matcher: (context) => CUT_OFF_PATHS.has(context.path ?? ''),
          handler: createAuthMiddleware(async () => sleepUntilNextSecond()),
        },
      ],
    },
  };
}

function sleepUntilNextSecond(): Promise<void> {
  const now = Date.now();
  return new Promise((resolve) => setTimeout(resolve, 1000 - (now % 1000)));
}
