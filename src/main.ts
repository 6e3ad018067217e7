import 'reflect-metadata';
import { ConfigError } from './infrastructure/config/config-error.js';
import { loadConfig, type AppConfig } from './infrastructure/config/env.js';
import { createLogger } from './infrastructure/observability/logger.js';
import type { OpenTelemetryTracing } from './infrastructure/observability/open-telemetry-tracing.js';

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
// Started before the server's modules load, so that the pg driver is instrumented; imported only
// when configured, so that an untraced service loads none of OpenTelemetry.
const tracing: OpenTelemetryTracing | null = config.tracing
  ? (await import('./infrastructure/observability/open-telemetry-tracing.js')).startTracing()
  : null;
const logger = createLogger(config.logLevel, undefined, tracing?.logFields);
const { startServer } = await import('./server.js');
const running = await startServer(config, {
  logger,
  tracer: tracing?.tracer,
  requestTracer: tracing?.requests,
}).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else logger.fatal({ err: error }, 'could not start');
  process.exit(1);
});
logger.info(
  {
    url: running.url,
    database: config.database.kind,
    auth: config.auth.mode,
    tracing: config.tracing,
  },
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
    (signal === 'SIGTERM' ? running.drain() : running.close())
      // The last requests' spans are sent before the process goes.
      .then(() => tracing?.shutdown())
      .then(
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
