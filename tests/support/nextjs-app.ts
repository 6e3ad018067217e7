import { join } from 'node:path';
import { runNode, type RunningProcess } from './child-process.js';

/** The example Next.js app; `npm run test:nextjs` installs and builds it before the tests run. */
const APP_DIR = join(process.cwd(), 'examples/nextjs');
const NEXT = join(APP_DIR, 'node_modules/next/dist/bin/next');
const TSX = join(APP_DIR, 'node_modules/tsx/dist/cli.mjs');

export interface NextAppEnv {
  /** PostgreSQL for the app's Better Auth. */
  readonly DATABASE_URL: string;
  /** The app's own URL: Better Auth's base URL and the tokens' issuer. */
  readonly BETTER_AUTH_URL: string;
  readonly BETTER_AUTH_SECRET: string;
  /** The Task API as the browser reaches it: the tokens' audience. */
  readonly TASK_API_URL: string;
}

/** Runs the app's `npm run migrate` (Better Auth's tables) and resolves when it succeeded. */
export async function migrateNextApp(env: NextAppEnv): Promise<void> {
  const migrate = runNode(TSX, { ...env }, { args: ['scripts/migrate.ts'], cwd: APP_DIR });
  const code = await migrate.exited;
  if (code !== 0) throw new Error(`the migration failed:\n${migrate.stdout()}${migrate.stderr()}`);
}

/** Starts `next start` on `port` (127.0.0.1) and resolves once it serves. */
export async function startNextApp(port: number, env: NextAppEnv): Promise<RunningProcess> {
  const next = runNode(
    NEXT,
    { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    { args: ['start', '--hostname', '127.0.0.1', '--port', String(port)], cwd: APP_DIR },
  );
  await next.waitFor(/(Ready in)/);
  return next;
}
