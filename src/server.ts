import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import {
  buildContainer,
  resolveAuthHandler,
  type ContainerOverrides,
  type ServiceConfig,
  type ServiceContainer,
} from './infrastructure/di/container.js';
import { TOKENS } from './infrastructure/di/tokens.js';
import { createApp } from './interfaces/http/app.js';
import { createHttpServer } from './interfaces/http/http-server.js';
import { webUiBuilt } from './interfaces/http/web-ui.js';

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8000 */
  readonly url: string;
  readonly server: Server;
  readonly services: ServiceContainer;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/** Wires the container into the Koa app, migrates the database and starts listening. */
export async function startServer(
  config: ServiceConfig,
  overrides: ContainerOverrides = {},
): Promise<RunningServer> {
  const services = await buildContainer(config, overrides);
  const c = services.container;
  try {
    await services.migrate();
  } catch (error) {
    await services.close();
    throw error;
  }
  const app = createApp({
    logger: c.get<Logger>(TOKENS.Logger),
    auth: resolveAuthHandler(c),
    authenticate: c.get(TOKENS.AuthenticateUseCase),
    readiness: c.get(TOKENS.CheckReadinessUseCase),
    tasks: {
      create: c.get(TOKENS.CreateTaskUseCase),
      list: c.get(TOKENS.ListTasksUseCase),
      get: c.get(TOKENS.GetTaskUseCase),
      update: c.get(TOKENS.UpdateTaskUseCase),
      toggleCompletion: c.get(TOKENS.ToggleTaskCompletionUseCase),
      remove: c.get(TOKENS.DeleteTaskUseCase),
    },
    corsOrigins: config.corsOrigins,
    trustedProxies: config.trustedProxies,
    webUiDir: webUiDirFor(config, c.get<Logger>(TOKENS.Logger)),
    webUiSourceMaps: !config.production,
    taskApiRateLimit: config.taskApiRateLimit,
    strictTransportSecurity: config.authUrl.startsWith('https:'),
  });

  const server = createHttpServer(app.callback(), { maxConnections: config.maxConnections });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, resolve);
    });
  } catch (error) {
    await services.close(); // a taken port or an unknown HOST: leave no pool open
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host =
    config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    services,
    close: async () => {
      // Keep-alive connections turn idle once their last response is out: close them then,
      // instead of waiting for their keep-alive timeout.
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(sweeper);
      await services.close();
    },
  };
}

/** The page esbuild writes to dist/web (the same folder whether this runs from src or dist). */
const WEB_UI_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

function webUiDirFor(config: ServiceConfig, logger: Logger): string | null {
  if (!config.webUi) return null;
  if (webUiBuilt(WEB_UI_DIR)) return WEB_UI_DIR;
  logger.warn(
    { dir: WEB_UI_DIR },
    'the web page is not built (npm run build); serving the API only',
  );
  return null;
}
