import type { Logger } from 'pino';
import type { ServiceConfig } from '../di/container.js';
import { loadOrCreateDevelopmentSecret } from './development-secret.js';
import type { AppConfig } from './env.js';

/**
 * Settles the Better Auth secret: the configured one, or outside production a kept development
 * secret; none when no Better Auth runs here and the tokens are checked against a key set.
 */
export function toServiceConfig(config: AppConfig, logger: Logger): ServiceConfig {
  if (config.authSecret) return { ...config, authSecret: config.authSecret };
  if (!config.embeddedAuth) return { ...config, authSecret: null };
  const { secret, created } = loadOrCreateDevelopmentSecret(config.dataDir);
  logger.warn(
    { dataDir: config.dataDir },
    `BETTER_AUTH_SECRET is not set: using a development secret ${created ? 'generated now and ' : ''}kept in the data folder. Set BETTER_AUTH_SECRET in production.`,
  );
  return { ...config, authSecret: secret };
}
