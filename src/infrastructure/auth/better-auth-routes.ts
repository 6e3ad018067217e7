import type { BetterAuthOptions } from 'better-auth';

/** An endpoint of the embedded Better Auth, below its base path. */
export interface BetterAuthRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

/**
 * What the page, the typed client and README's flows use: sign-up, sign-in and sign-out, the
 * session and its JWT, and ending sessions (one, all, all others, after listing them, or by
 * changing the password). Better Auth serves ~35 endpoints; every other one stays unreachable.
 */
const ALWAYS: readonly BetterAuthRoute[] = [
  { method: 'POST', path: '/sign-up/email' },
  { method: 'POST', path: '/sign-in/email' },
  { method: 'POST', path: '/sign-out' },
  { method: 'GET', path: '/get-session' },
  { method: 'GET', path: '/token' },
  { method: 'GET', path: '/list-sessions' },
  { method: 'POST', path: '/revoke-session' },
  { method: 'POST', path: '/revoke-sessions' },
  { method: 'POST', path: '/revoke-other-sessions' },
  { method: 'POST', path: '/change-password' },
];

/**
 * The endpoints clients may reach, following the configuration: the key set unless tokens are
 * HS256 (the JWT plugin then has no key set of its own), password reset only once a reset email
 * can be sent, account deletion only once it is enabled.
 */
export function betterAuthRoutes(options: BetterAuthOptions): BetterAuthRoute[] {
  const routes = [...ALWAYS];
  if (!jwtPluginUsesRemoteKeys(options)) routes.push({ method: 'GET', path: '/jwks' });
  if (options.emailAndPassword?.sendResetPassword) {
    routes.push(
      { method: 'POST', path: '/request-password-reset' },
      { method: 'GET', path: '/reset-password/:token' },
      { method: 'POST', path: '/reset-password' },
    );
  }
  const deleteUser = options.user?.deleteUser;
  if (deleteUser?.enabled) {
    routes.push({ method: 'POST', path: '/delete-user' });
    if (deleteUser.sendDeleteAccountVerification) {
      routes.push({ method: 'GET', path: '/delete-user/callback' });
    }
  }
  return routes;
}

function jwtPluginUsesRemoteKeys(options: BetterAuthOptions): boolean {
  const jwt = options.plugins?.find((plugin) => plugin.id === 'jwt');
  const settings = jwt?.options as { jwks?: { remoteUrl?: string } } | undefined;
  return settings?.jwks?.remoteUrl !== undefined;
}
