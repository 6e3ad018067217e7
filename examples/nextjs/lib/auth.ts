/**
 * lib/auth.ts of a Next.js app whose users call the Task API.
 *
 * The API is configured with (JWKS mode, recommended):
 *   AUTH_ISSUER=https://app.example.com
 *   AUTH_AUDIENCE=https://api.example.com
 *   AUTH_JWKS_URL=https://app.example.com/api/auth/jwks
 * or (shared-secret mode):
 *   AUTH_JWT_ALG=HS256  BETTER_AUTH_SECRET=<the app's secret>  AUTH_ISSUER=…  AUTH_AUDIENCE=…
 */
import { betterAuth } from 'better-auth';
import pg from 'pg';
import { taskApiJwt } from './task-api-jwt.js';

export const auth = betterAuth({
  baseURL: process.env.BETTER_AUTH_URL, // https://app.example.com
  secret: process.env.BETTER_AUTH_SECRET,
  database: new pg.Pool({ connectionString: process.env.DATABASE_URL }),
  emailAndPassword: { enabled: true },
  plugins: [
    taskApiJwt({
      mode: process.env.TASK_API_JWT_MODE === 'hs256' ? 'hs256' : 'jwks',
      issuer: process.env.BETTER_AUTH_URL ?? 'http://localhost:3000',
      audience: process.env.TASK_API_URL ?? 'http://localhost:8000',
      secret: process.env.BETTER_AUTH_SECRET,
    }),
  ],
});
