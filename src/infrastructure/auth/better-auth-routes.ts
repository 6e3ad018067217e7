import type { BetterAuthOptions } from 'better-auth';

/** An endpoint of the embedded Better Auth, below its base path. */
export interface BetterAuthRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** What the OpenAPI document calls it. */
  readonly summary: string;
  /** Whether it needs the session cookie that sign-up and sign-in set. */
  readonly session: boolean;
}

/**
 * What the page, the typed client and README's flows use: sign-up, sign-in and sign-out, the
 * session and its JWT, and ending sessions (one, all, all others, after listing them, or by
 * changing the password). Better Auth serves ~35 endpoints; every other one stays unreachable.
 */
const ALWAYS: readonly BetterAuthRoute[] = [
  { method: 'POST', path: '/sign-up/email', summary: 'Sign up', session: false },
  { method: 'POST', path: '/sign-in/email', summary: 'Sign in', session: false },
  { method: 'POST', path: '/sign-out', summary: 'Sign out', session: true },
  { method: 'GET', path: '/get-session', summary: 'Read the session', session: true },
  { method: 'GET', path: '/token', summary: 'Get a token (JWT)', session: true },
  { method: 'GET', path: '/list-sessions', summary: 'List your sessions', session: true },
  { method: 'POST', path: '/revoke-session', summary: 'End one session', session: true },
  { method: 'POST', path: '/revoke-sessions', summary: 'End every session', session: true },
  {
    method: 'POST',
    path: '/revoke-other-sessions',
    summary: 'End every other session',
    session: true,
  },
  { method: 'POST', path: '/change-password', summary: 'Change the password', session: true },
];

/**
 * The endpoints clients may reach, following the configuration: the key set unless tokens are
 * HS256 (the JWT plugin then has no key set of its own), password reset only once a reset email
 * can be sent, account deletion only once it is enabled.
 */
export function betterAuthRoutes(options: BetterAuthOptions): BetterAuthRoute[] {
  const routes = [...ALWAYS];
  if (!jwtPluginUsesRemoteKeys(options)) {
    routes.push({
      method: 'GET',
      path: '/jwks',
      summary: 'The signing keys (JWKS)',
      session: false,
    });
  }
  if (options.emailAndPassword?.sendResetPassword) {
    routes.push(
      {
        method: 'POST',
        path: '/request-password-reset',
        summary: 'Ask for a password reset',
        session: false,
      },
      {
        method: 'GET',
        path: '/reset-password/:token',
        summary: 'Follow a reset link',
        session: false,
      },
      { method: 'POST', path: '/reset-password', summary: 'Reset the password', session: false },
    );
  }
  const deleteUser = options.user?.deleteUser;
  if (deleteUser?.enabled) {
    routes.push({
      method: 'POST',
      path: '/delete-user',
      summary: 'Delete the account',
      session: true,
    });
    if (deleteUser.sendDeleteAccountVerification) {
      routes.push({
        method: 'GET',
        path: '/delete-user/callback',
        summary: 'Confirm the deletion',
        session: false,
      });
    }
  }
  return routes;
}

function jwtPluginUsesRemoteKeys(options: BetterAuthOptions): boolean {
  const jwt = options.plugins?.find((plugin) => plugin.id === 'jwt');
  const settings = jwt?.options as { jwks?: { remoteUrl?: string } } | undefined;
  return settings?.jwks?.remoteUrl !== undefined;
}
