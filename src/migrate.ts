import 'reflect-metadata';
import { ConfigError } from './infrastructure/config/config-error.js';
import { loadConfig } from './infrastructure/config/env.js';
import { openServices } from './infrastructure/di/container.js';
import { createLogger } from './infrastructure/observability/logger.js';

/** `npm run migrate`: brings the database up to date, then exits. */
try {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const services = await openServices(config, { logger });
  try {
    await services.migrate();
    logger.info({ database: config.database.kind }, 'database is up to date');
  } finally {
    await services.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
