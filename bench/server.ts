import 'reflect-metadata';
import type { TokenVerifier } from '../src/application/auth/token-verifier.port.js';
import type { BetterAuthInstance } from '../src/infrastructure/auth/better-auth.js';
import { InMemoryTokenVerifier } from '../src/infrastructure/auth/in-memory-token-verifier.js';
import { loadConfig } from '../src/infrastructure/config/env.js';
import { toServiceConfig } from '../src/infrastructure/config/service-config.js';
import { TOKENS } from '../src/infrastructure/di/tokens.js';
import { createLogger } from '../src/infrastructure/observability/logger.js';
import { startServer } from '../src/server.js';
import { BetterAuthSessionVerifier } from './better-auth-session-verifier.js';
import { createSessionOnlyBetterAuth } from './session-only-better-auth.js';

/**
 * The service as `npm start` runs it (configured from the environment), except the token
 * verifier, swapped through the container when BENCH_VERIFIER asks:
 * - `jwt` (default): the real one, jose;
 * - `session`: getSession of the service's own Better Auth per request;
 * - `session-only`: getSession of a Better Auth without the JWT plugin (a pure session lookup);
 * - `fake`: InMemoryTokenVerifier, with one token issued for BENCH_USER_ID.
 * Prints one `BENCH_READY {"url":…,"fakeToken":…}` line on stdout for the driver.
 */
const mode = process.env.BENCH_VERIFIER ?? 'jwt';
const config = toServiceConfig(loadConfig(process.env), createLogger('silent'));
const logger = createLogger(config.logLevel);

let auth: BetterAuthInstance | null = null;
let fakeToken: string | null = null;
let tokenVerifier: TokenVerifier | undefined;
let closeExtra = async () => undefined;
if (mode === 'session') {
  tokenVerifier = new BetterAuthSessionVerifier((headers) => {
    if (!auth) throw new Error('Better Auth is not wired yet');
    return auth.api.getSession({ headers });
  });
} else if (mode === 'session-only') {
  if (config.database.kind !== 'postgres') throw new Error('session-only needs DATABASE_URL');
  if (!config.authSecret) throw new Error('session-only needs BETTER_AUTH_SECRET');
  const sessions = createSessionOnlyBetterAuth({
    databaseUrl: config.database.url,
    secret: config.authSecret,
    baseUrl: config.authUrl,
  });
  tokenVerifier = new BetterAuthSessionVerifier(sessions.getSession);
  closeExtra = async () => void (await sessions.close());
} else if (mode === 'fake') {
  const userId = process.env.BENCH_USER_ID;
  if (!userId) throw new Error('BENCH_VERIFIER=fake needs BENCH_USER_ID');
  const fake = new InMemoryTokenVerifier();
  fakeToken = fake.issue({ id: userId, email: null, name: null });
  tokenVerifier = fake;
} else if (mode !== 'jwt') {
  throw new Error(`BENCH_VERIFIER must be jwt, session, session-only or fake, not ${mode}`);
}

const running = await startServer(config, { logger, ...(tokenVerifier ? { tokenVerifier } : {}) });
auth = running.services.container.get<BetterAuthInstance>(TOKENS.BetterAuth);
process.stdout.write(
  `BENCH_READY ${JSON.stringify({ url: running.url, verifier: mode, fakeToken })}\n`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    Promise.all([running.close(), closeExtra()]).then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}
