/**
 * Better Auth in the Next.js app: email and password, users and sessions in PostgreSQL, and the
 * JWT plugin issuing the tokens the Task API accepts. The API runs with
 *   AUTH_EMBEDDED=false
 *   AUTH_ISSUER=$BETTER_AUTH_URL                  (this app)
 *   AUTH_JWKS_URL=$BETTER_AUTH_URL/api/auth/jwks
 *   AUTH_AUDIENCE=$TASK_API_URL                   (the API)
 *   CORS_ORIGINS=$BETTER_AUTH_URL                 (the browser calls the API from this app's pages)
 * or, sharing the secret instead (TASK_API_JWT_MODE=hs256): AUTH_JWT_ALG=HS256 and the same
 * BETTER_AUTH_SECRET on both sides.
 */
import { betterAuth } from 'better-auth';
import pg from 'pg';
import { taskApiJwt, TASK_API_TOKEN_LIFETIME_SECONDS } from './task-api-jwt';
import { taskApiRevocation } from './task-api-revocation';

let auth: ReturnType<typeof createAuth> | undefined;

/**
 * This app's Better Auth, created on first use rather than on import: `next build` imports this
 * file to collect page data, without the secrets `next start` is given.
 */
export function getAuth() {
  auth ??= createAuth();
  return auth;
}

function createAuth() {
  const appUrl = process.env.BETTER_AUTH_URL ?? 'http://localhost:3000';
  const database = new pg.Pool({ connectionString: required('DATABASE_URL') });
  // Sharing the API's database (TASK_API_SHARES_DATABASE=true): sign-out ends tokens at once.
  const revocation =
    process.env.TASK_API_SHARES_DATABASE === 'true'
      ? [
          taskApiRevocation({
            pool: database,
            tokenLifetimeSeconds: TASK_API_TOKEN_LIFETIME_SECONDS,
          }),
        ]
      : [];
  return betterAuth({
    baseURL: appUrl,
    secret: process.env.BETTER_AUTH_SECRET,
    database,
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    plugins: [
      taskApiJwt({
        mode: process.env.TASK_API_JWT_MODE === 'hs256' ? 'hs256' : 'jwks',
        issuer: appUrl, // the API's AUTH_ISSUER
        audience: process.env.TASK_API_URL ?? 'http://localhost:8000', // the API's AUTH_AUDIENCE
        secret: process.env.BETTER_AUTH_SECRET,
      }),
      ...revocation,
    ],
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: copy .env.example to .env.local and fill it in.`);
  return value;
}
