import type { IncomingHttpHeaders } from 'node:http';
import { setResponse } from 'better-call/node';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { DependencyUnavailableError } from '../../../application/shared/dependency-unavailable.error.js';
import { NO_TRACER, type Tracer } from '../../../application/shared/tracer.port.js';
import { unmapped, type ProxyTrust } from '../client-address.js';
import { routeTemplate } from '../route-template.js';
import { HttpProblem, internalErrorProblem } from '../problem.js';
import { invalidHost } from './host-check.js';
import { declaresBody, isUtf8Text, notUtf8, readBody } from '../request-body.js';

/** Better Auth's own handler: a web Request in, a web Response out. */
export type FetchHandler = (request: Request) => Promise<Response>;

export interface BetterAuthMount {
  readonly basePath: string;
  readonly handler: FetchHandler;
  readonly proxies: ProxyTrust;
  /** Whether the database answers; asked only when Better Auth has failed or refused. */
  readonly databaseUp: () => Promise<boolean>;
  readonly logger: Logger;
  /** Times Better Auth's handling as a span `better-auth` (default: not traced). */
  readonly tracer?: Tracer;
}

/**
 * Hands /api/auth/* to Better Auth. It must run before any body parser. The body is read here,
 * 64 KiB at most (413 beyond), and handed over whole: Better Auth would read any stream to its end.
 *
 * Better Auth rate-limits by the address in X-Forwarded-For. Unless the connection comes from a
 * trusted proxy, that header is replaced by the socket's address, so a client can neither dodge
 * the limit with a made-up address nor share one bucket with everybody else.
 *
 * Better Auth swallows database failures: a lost database reads as "no session" (401) or a bare
 * 500. When it answers either and the database is down, the caller gets the API's 503 instead,
 * so a client retries rather than signing its user out.
 */
export function mountBetterAuth(mount: BetterAuthMount): Middleware {
  const { basePath } = mount;
  return async (ctx, next) => {
    if (ctx.path !== basePath && !ctx.path.startsWith(`${basePath}/`)) return next();
    const peer = ctx.req.socket.remoteAddress;
    if (!mount.proxies.trusts(peer) && peer) ctx.req.headers['x-forwarded-for'] = unmapped(peer);
    const request = await toFetchRequest(ctx);
    const response = await answer(request, ctx, mount);
    if (ctx.res.headersSent) {
      // The request's deadline has answered it already; the connection may carry the next one.
      await response.body?.cancel();
      return;
    }
    if ((response.status === 401 || response.status >= 500) && !(await mount.databaseUp())) {
      await response.body?.cancel();
      throw new DependencyUnavailableError('database');
    }
    if (response.status >= 500) {
      // Better Auth's own 5xx text names its internals: the operator reads it, the client gets ours.
      const said = (await response.text()).slice(0, 200);
      mount.logger.error(
        { requestId: ctx.state.requestId, status: response.status, said },
        'auth handler answered an error',
      );
      throw failedOnOurSide(ctx, basePath);
    }
    // Better Auth's limiter says when to retry in X-Retry-After only; clients read Retry-After.
    const retryAfter = response.headers.get('X-Retry-After');
    if (response.status === 429 && retryAfter !== null && !response.headers.has('Retry-After')) {
      ctx.res.setHeader('Retry-After', retryAfter);
    }
    ctx.respond = false;
    try {
      await setResponse(ctx.res, response);
    } catch (error) {
      mount.logger.error({ requestId: ctx.state.requestId, err: error }, 'auth answer failed');
      ctx.res.destroy(); // the status line is out: cutting the connection is all that is left
    }
  };
}

async function answer(request: Request, ctx: Context, mount: BetterAuthMount): Promise<Response> {
  const tracer = mount.tracer ?? NO_TRACER;
  try {
    return await tracer.inSpan('better-auth', async (span) => {
      // The endpoint's template from the route table, never the path (a reset link's token).
      span.note({ 'better_auth.endpoint': routeTemplate(ctx) });
      const response = await mount.handler(request);
      span.note({ 'http.response.status_code': response.status });
      return response;
    });
  } catch (error) {
    // A refusal of this service's own hooks (a session that is not the user's) is answered as such.
    if (error instanceof DomainError) throw error;
    // Better Auth answers its own refusals; a failure it could not turn into an answer lands
    // here: an outage when the database is down, otherwise logged (through the JSON logger).
    if (!(await mount.databaseUp())) throw new DependencyUnavailableError('database');
    mount.logger.error({ requestId: ctx.state.requestId, err: error }, 'auth handler failed');
    throw failedOnOurSide(ctx, mount.basePath);
  }
}

/** What each family of Better Auth's routes does, in the words a 5xx names it with. */
const ROUTE_FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^\/sign-up(\/|$)/, 'Signing up'],
  [/^\/sign-in(\/|$)/, 'Signing in'],
  [/^\/sign-out$/, 'Signing out'],
  [/^\/(get-session|list-sessions)$/, 'Reading your sessions'],
  [/^\/token$/, 'Issuing a token'],
  [/^\/jwks$/, 'Serving the signing keys'],
  [/^\/revoke-(session|sessions|other-sessions)$/, 'Ending sessions'],
  [/^\/change-password$/, 'Changing the password'],
  [/^\/(request-password-reset|reset-password)(\/|$)/, 'Resetting the password'],
  [/^\/delete-user(\/|$)/, 'Deleting the account'],
];

/** A 500 that says, in general words, what failed (never what Better Auth said). */
function failedOnOurSide(ctx: Context, basePath: string): HttpProblem {
  const route = ctx.path.slice(basePath.length);
  const action = ROUTE_FAMILIES.find(([path]) => path.test(route))?.[1] ?? 'Authentication';
  return new HttpProblem(
    internalErrorProblem(
      ctx.state.requestId,
      `${action} failed on our side. Try again, and quote the requestId if it persists.`,
    ),
  );
}

/** The web Request Better Auth takes, with the body already read (and bounded). */
async function toFetchRequest(ctx: Context): Promise<Request> {
  const { req } = ctx;
  const url = baseOf(ctx) + (req.url ?? '/');
  // A Host header with a path, query or stray characters in it would change the path Better
  // Auth routes and rate-limits by, or fail to parse: a client's mistake, not a 500.
  if (!URL.canParse(url) || new URL(url).pathname !== ctx.path) throw invalidHost();
  const body = declaresBody(req) ? await readBody(req) : null;
  const form = typeof ctx.is('application/x-www-form-urlencoded') === 'string';
  if (body && !isUtf8Text(body, form)) {
    throw notUtf8(); // Better Auth would store the name with U+FFFD in place of the bad bytes
  }
  const method = req.method ?? 'GET';
  return new Request(url, {
    method,
    headers: headersOf(req.headers),
    body: method === 'GET' || method === 'HEAD' ? null : body,
  });
}

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, item);
    }
  }
  return headers;
}

/**
 * The request's own origin, worked out as Better Auth's Node adapter does, except that an
 * X-Forwarded-Proto other than http or https is ignored (behind two proxies it reads
 * "https, http": the first is the client's).
 */
function baseOf(ctx: Context): string {
  const { headers, socket } = ctx.req;
  const encrypted = (socket as { encrypted?: boolean }).encrypted === true;
  const forwarded = String(headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase();
  const protocol =
    forwarded === 'http' || forwarded === 'https' ? forwarded : encrypted ? 'https' : 'http';
  return `${protocol}://${String(headers[':authority'] ?? '') || (headers.host ?? '')}`;
}
