/**
 * Creates or updates Better Auth's tables (user, session, account, verification, jwks) in
 * DATABASE_URL: `npm run migrate`, once per deploy, before `npm start`.
 */
import nextEnv from '@next/env'; // CommonJS: no named exports under ESM
import { getAuth } from '../lib/auth';

nextEnv.loadEnvConfig(process.cwd()); // .env, .env.local, … as next start reads them

try {
  const context = await getAuth().$context;
  await context.runMigrations();
  console.log('Better Auth tables are up to date.');
  process.exit(0);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
