import { afterAll, describe, expect, it } from '@jest/globals';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import Database from 'better-sqlite3';
import {
  betterAuthRoutes,
  type BetterAuthRoute,
} from '../../../src/infrastructure/auth/better-auth-routes.js';
import { testBetterAuth } from '../../support/test-better-auth.js';
import { createSqliteDatabase } from '../../support/test-database.js';
import { TEST_AUTH_URL, TEST_SECRET } from '../../support/test-service.js';

const sqlite = createSqliteDatabase();
afterAll(() => sqlite.drop());

const route = (r: BetterAuthRoute) => `${r.method} ${r.path}`;

/** The service's own Better Auth, configured as `npm start` configures it. */
async function serviceAuth(algorithm: 'EdDSA' | 'HS256') {
  const { betterAuth, close } = await testBetterAuth(sqlite.config, { algorithm });
  return { auth: betterAuth.auth, close };
}

/** Better Auth with every optional flow the route table knows about turned on. */
const everything = {
  baseURL: TEST_AUTH_URL,
  secret: TEST_SECRET,
  database: new Database(':memory:'),
  emailAndPassword: { enabled: true, sendResetPassword: async () => undefined },
  user: { deleteUser: { enabled: true, sendDeleteAccountVerification: async () => undefined } },
  plugins: [jwt()],
  logger: { disabled: true },
} satisfies BetterAuthOptions;

describe('the Better Auth route table', () => {
  it('holds exactly the endpoints the page, the client and README use', async () => {
    const { auth, close } = await serviceAuth('EdDSA');
    try {
      expect(betterAuthRoutes(auth.options).map(route).sort()).toEqual([
        'GET /get-session',
        'GET /jwks',
        'GET /list-sessions',
        'GET /token',
        'POST /change-password',
        'POST /delete-user',
        'POST /revoke-other-sessions',
        'POST /revoke-session',
        'POST /revoke-sessions',
        'POST /sign-in/email',
        'POST /sign-out',
        'POST /sign-up/email',
      ]);
    } finally {
      await close();
    }
  });

  it('has no key set route with HS256 tokens (the JWT plugin then serves none)', async () => {
    const { auth, close } = await serviceAuth('HS256');
    try {
      expect(betterAuthRoutes(auth.options).map(route)).not.toContain('GET /jwks');
    } finally {
      await close();
    }
  });

  it('adds account deletion once enabled, and password reset once a reset email can be sent', () => {
    expect(betterAuthRoutes(everything).map(route)).toEqual(
      expect.arrayContaining([
        'POST /delete-user',
        'GET /delete-user/callback',
        'POST /request-password-reset',
        'GET /reset-password/:token',
        'POST /reset-password',
      ]),
    );
    const deletionWithoutEmail = { ...everything, user: { deleteUser: { enabled: true } } };
    expect(betterAuthRoutes(deletionWithoutEmail).map(route)).toContain('POST /delete-user');
    expect(betterAuthRoutes(deletionWithoutEmail).map(route)).not.toContain(
      'GET /delete-user/callback',
    );
  });

  it('names only endpoints Better Auth has, with the method it declares for them', () => {
    const endpoints = Object.values(betterAuth(everything).api).map(
      (endpoint) => endpoint as { path?: string; options?: { method?: string | string[] } },
    );
    for (const { method, path } of betterAuthRoutes(everything)) {
      const declared = endpoints.find((endpoint) => endpoint.path === path)?.options?.method;
      expect([path, [declared ?? []].flat()]).toEqual([path, expect.arrayContaining([method])]);
    }
  });
});
