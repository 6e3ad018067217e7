import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Outside production, a missing BETTER_AUTH_SECRET is generated once and kept in the data folder,
 * so sessions and signing keys survive restarts of a development server.
 */
export function loadOrCreateDevelopmentSecret(dataDir: string): {
  secret: string;
  created: boolean;
} {
  const file = join(dataDir, 'better-auth-secret');
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true };
}
