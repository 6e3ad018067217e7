/**
 * A stand-alone Better Auth issuer using the Next.js example's plugin config, served by plain Node
 * instead of Next.js, so that `npm test` needs no Next.js installed (`npm run test:nextjs` runs
 * the real app). The tests start it as a separate process and check that the Task API accepts
 * the tokens it issues.
 *
 *   ISSUER_MODE=jwks|hs256  ISSUER_DATABASE=/tmp/issuer.sqlite  TASK_API_URL=http://localhost:8000
 *   BETTER_AUTH_SECRET=…  PORT=3000  node dist-examples/issuer-server.js
 *
 * With ISSUER_DATABASE_URL instead, its users and sessions live in that PostgreSQL database, shared
 * with the API, and it tells the API of every ended session (task-api-revocation.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import Database from 'better-sqlite3';
import pg from 'pg';
import { taskApiJwt, TASK_API_TOKEN_LIFETIME_SECONDS } from './nextjs/lib/task-api-jwt.js';
import { taskApiRevocation } from './nextjs/lib/task-api-revocation.js';

const server = createServer();
await new Promise<void>((resolve) =>
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', resolve),
);
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const shared = process.env.ISSUER_DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.ISSUER_DATABASE_URL })
  : null;

const options = {
  baseURL,
  secret: process.env.BETTER_AUTH_SECRET,
  database: shared ?? new Database(process.env.ISSUER_DATABASE ?? ':memory:'),
  emailAndPassword: { enabled: true },
  telemetry: { enabled: false },
  plugins: [
    taskApiJwt({
      mode: process.env.ISSUER_MODE === 'hs256' ? 'hs256' : 'jwks',
      issuer: baseURL,
      audience: process.env.TASK_API_URL ?? 'http://localhost:8000',
      secret: process.env.BETTER_AUTH_SECRET,
    }),
    ...(shared
      ? [taskApiRevocation({ pool: shared, tokenLifetimeSeconds: TASK_API_TOKEN_LIFETIME_SECONDS })]
      : []),
  ],
};
await (await getMigrations(options)).runMigrations();
const handler = toNodeHandler(betterAuth(options));
server.on('request', (req, res) => void handler(req, res));
console.log(`Issuer listening on ${baseURL}`);

process.once('SIGTERM', () => server.close(() => process.exit(0)));
