import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { NO_TRACER } from './application/shared/tracer.port.js';
import type { AppConfig } from './infrastructure/config/env.js';
import {
  authMountOf,
  openServices,
  type ContainerOverrides,
  type Services,
} from './infrastructure/di/container.js';
import { createApp } from './interfaces/http/app.js';
import { createHttpServer } from './interfaces/http/http-server.js';
import type { RequestTracer } from './interfaces/http/middleware/request-tracing.js';
import { startMetricsServer, type MetricsServer } from './interfaces/http/metrics-server.js';
import { Shutdown } from './interfaces/http/shutdown.js';
import { webUiBuilt } from './interfaces/http/web-ui.js';

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8000 */
  readonly url: string;
  readonly server: Server;
  readonly services: Services;
  /** Where the metrics listener (METRICS_PORT) serves GET /metrics; null when there is none. */
  readonly metricsUrl: string | null;
  /** Long-lived answers (event streams) register here how they end when the listener closes. */
  readonly shutdown: Shutdown;
  /**
   * SIGTERM's way out: /ready answers 503 at once, new requests are still served for
   * SHUTDOWN_DELAY_SECONDS, then the listener closes, requests in flight have
   * SHUTDOWN_GRACE_SECONDS to finish, and the pools close.
   */
  drain(): Promise<void>;
  /** As drain(), without the delay: the listener closes at once. */
  close(): Promise<void>;
}

/** What a server may be given besides its configuration. */
export interface ServerOptions extends ContainerOverrides {
  /** One server span per request (tracing configured); the adapters' spans go to `tracer`. */
  readonly requestTracer?: RequestTracer;
}

/** Builds the configured adapters, migrates the database, builds the app and starts listening. */
export async function startServer(
  config: AppConfig,
  overrides: ServerOptions = {},
): Promise<RunningServer> {
  const services = await openServices(config, overrides);
  try {
    await services.migrate();
    await services.start();
  } catch (error) {
    await services.close();
    throw error;
  }
  const shutdown = new Shutdown();
  const app = createApp(services.useCases, {
    logger: services.logger,
    auth: await authMountOf(services.betterAuth),
    corsOrigins: config.corsOrigins,
    trustedProxies: config.trustedProxies,
    webUiDir: webUiDirFor(config, services.logger),
    webUiSourceMaps: !config.production,
    rateLimiter: services.rateLimiter,
    strictTransportSecurity: config.strictTransportSecurity,
    apiDocs: config.apiDocs,
    metrics: services.metrics && {
      recorder: services.metrics,
      endpoint: config.metrics?.token
        ? { exposition: services.metrics, token: config.metrics.token }
        : null,
    },
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    maxInFlight: config.maxInFlight,
    shutdown,
    eventStreams: config.eventStreams,
    tracing: overrides.requestTracer && {
      requests: overrides.requestTracer,
      tracer: overrides.tracer ?? NO_TRACER,
    },
  });

  const server = createHttpServer(shutdown.track(app.callback()), {
    maxConnections: config.maxConnections,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, resolve);
    });
  } catch (error) {
    await services.close(); // a taken port or an unknown HOST: leave no pool open
    throw error;
  }
  let metricsServer: MetricsServer | null = null;
  const listener = config.metrics?.listener;
  if (services.metrics && listener) {
    try {
      metricsServer = await startMetricsServer(services.metrics, listener);
    } catch (error) {
      server.close();
      await services.close();
      throw error;
    }
  }
  const { port } = server.address() as AddressInfo;
  const host =
    config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;

  let stopped: Promise<void> | null = null;
  const stop = (delaySeconds: number) => {
    stopped ??= (async () => {
      const { graceSeconds } = config.shutdown;
      const timings = { delayMs: delaySeconds * 1000, graceMs: graceSeconds * 1000 };
      await shutdown.drain(server, timings, services.logger);
      // Scraped until the requests are done: a draining instance is one to watch.
      await metricsServer?.close();
      await services.close();
    })();
    return stopped;
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    services,
    metricsUrl: metricsServer?.url ?? null,
    shutdown,
    drain: () => stop(config.shutdown.delaySeconds),
    close: () => stop(0),
  };
}

/** The page esbuild writes to dist/web (the same folder whether this runs from src or dist). */
const WEB_UI_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

function webUiDirFor(config: AppConfig, logger: Logger): string | null {
  if (!config.webUi) return null;
  if (webUiBuilt(WEB_UI_DIR)) return WEB_UI_DIR;
  logger.warn(
    { dir: WEB_UI_DIR },
    'the web page is not built (npm run build); serving the API only',
  );
  return null;
}
