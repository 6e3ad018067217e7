import { HEALTH_ROUTES } from './health.routes.js';
import { ME_ROUTES } from './me.routes.js';
import { API_DOCS_ROUTES } from './openapi/api-docs.routes.js';
import type { Operation } from './operation.js';
import { TASK_ROUTES } from './tasks/tasks.routes.js';

/**
 * Every operation the API serves, by group: `createApp` registers them as Koa routes and
 * `createOpenApiDocument` describes them, so neither can list a route the other lacks.
 */
export const API_ROUTES = {
  tasks: TASK_ROUTES,
  me: ME_ROUTES,
  health: HEALTH_ROUTES,
  /** Left out of the router with `apiDocs: false` (API_DOCS=false). */
  docs: API_DOCS_ROUTES,
} satisfies Record<string, readonly Operation[]>;

export const ALL_OPERATIONS: readonly Operation[] = Object.values(API_ROUTES).flat();
