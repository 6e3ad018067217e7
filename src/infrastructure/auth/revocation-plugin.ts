import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';

/** What the API does when Better Auth ends sessions or changes who may hold tokens. */
export interface SessionEvents {
  /** A session row was deleted (sign-out, revoke, password reset, the user deleted). */
  sessionEnded(sessionId: string): Promise<void>;
  /** The password changed: the user's earlier tokens stop working; resolves with the cut-off. */
  passwordChanged(userId: string): Promise<{ cutoff: Date }>;
  /** The user is being deleted: every token and everything the API keeps of them goes. */
  userDeleted(userId: string): Promise<void>;
}

/**
 * Better Auth's hooks, turned into revocations. `session.delete.after` runs once per deleted
 * session row, after its transaction commits (twice when two deletes race: the events are
 * idempotent). A password change answers only once the cut-off's second has begun, so a token
 * fetched after the answer is never taken for one fetched before it (`iat` counts whole seconds).
 */
export function revocationPlugin(events: SessionEvents): BetterAuthPlugin {
  return {
    id: 'task-api-revocation',
    init: () => ({
      options: {
        databaseHooks: {
          session: { delete: { after: (session) => events.sessionEnded(session.id) } },
          // Before: the user goes only once their tokens and tasks have.
          user: { delete: { before: (user) => events.userDeleted(user.id) } },
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
            const { cutoff } = await events.passwordChanged(userId);
            await sleepUntil(cutoff);
          }),
        },
      ],
    },
  };
}

function sleepUntil(instant: Date): Promise<void> {
  const wait = instant.getTime() - Date.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}
