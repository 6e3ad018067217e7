import { betterAuth } from 'better-auth';
import pg from 'pg';
import type { GetSession } from './better-auth-session-verifier.js';

export interface SessionOnlyBetterAuth {
  readonly getSession: GetSession;
  close(): Promise<void>;
}

/**
 * Better Auth as a stateful service would run it: the service's settings without the JWT plugin.
 * The service's own instance carries that plugin, whose after-hook on get-session signs a fresh
 * JWT on every call; this one only looks the session up, the fairest rival for a JWT check.
 */
export function createSessionOnlyBetterAuth(settings: {
  readonly databaseUrl: string;
  readonly secret: string;
  readonly baseUrl: string;
}): SessionOnlyBetterAuth {
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });
  const auth = betterAuth({
    baseURL: settings.baseUrl,
    basePath: '/api/auth',
    secret: settings.secret,
    database: pool,
    emailAndPassword: { enabled: true },
    session: { expiresIn: 7 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    telemetry: { enabled: false },
  });
  return {
    getSession: (headers) => auth.api.getSession({ headers }),
    close: () => pool.end(),
  };
}
