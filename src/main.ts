import 'reflect-metadata';
import { ConfigError } from './infrastructure/config/config-error.js';
import { loadConfig, type AppConfig } from './infrastructure/config/env.js';
import { createLogger } from './infrastructure/observability/logger.js';
import { startServer } from './server.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = configOrExit();
const logger = createLogger(config.logLevel);
const running = await startServer(config, { logger }).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else logger.fatal({ err: error }, 'could not start');
  process.exit(1);
});
logger.info(
  { url: running.url, database: config.database.kind, auth: config.auth.mode },
  `Task API listening on ${running.url}`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // SIGTERM comes from a process manager, with a load balancer to tell; Ctrl-C (SIGINT) from
    // a person at a terminal, who need not wait for one.
    const delaySeconds = signal === 'SIGTERM' ? config.shutdown.delaySeconds : 0;
    logger.info({ signal, delaySeconds }, 'shutting down');
    // The pools close after the grace period at the latest; this is only a backstop.
    const backstopMs = (delaySeconds + config.shutdown.graceSeconds + 10) * 1000;
    const force = setTimeout(() => {
      logger.error('shutdown did not finish in time: exiting');
      process.exit(1);
    }, backstopMs).unref();
    (signal === 'SIGTERM' ? running.drain() : running.close()).then(
      () => {
        clearTimeout(force);
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
