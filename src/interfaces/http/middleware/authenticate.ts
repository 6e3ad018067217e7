import type { Context, Middleware } from 'koa';
import type { AuthenticateUseCase } from '../../../application/auth/authenticate.use-case.js';
import type { AuthenticatedUser } from '../../../application/auth/authenticated-user.js';
import { REALM } from '../error-map.js';
import { HttpProblem, problem } from '../problem.js';

const BEARER = /^bearer(?:[ \t]+(.*))?$/i;

/**
 * Requires a bearer token in the Authorization header and puts the verified caller in
 * `ctx.state.user`. Tokens anywhere else (query string, cookies) are ignored on purpose.
 */
export function authenticate(useCase: AuthenticateUseCase): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx);
    ctx.state.user = await useCase.execute({ token });
    // An event stream checks it again while it lasts (never logged, never sent anywhere).
    ctx.state.bearerToken = token;
    await next();
  };
}

export function currentUser(ctx: Context): AuthenticatedUser {
  return ctx.state.user as AuthenticatedUser;
}

/** The verified bearer token of the request. */
export function currentToken(ctx: Context): string {
  return ctx.state.bearerToken as string;
}

/** The token of a single `Authorization: Bearer <token>` header; null when there is none. */
function bearerToken(ctx: Context): string | null {
  const headers = authorizationHeaders(ctx.req.rawHeaders);
  if (headers.length > 1) throw invalidRequest('Send exactly one Authorization header');
  const match = headers[0] === undefined ? null : BEARER.exec(headers[0].trim());
  if (!match) return null;
  const token = match[1]?.trim();
  if (!token) throw invalidRequest('The Bearer scheme needs a token after it');
  return token;
}

// Node keeps only the first of repeated Authorization headers; the raw list shows them all.
function authorizationHeaders(raw: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'authorization') values.push(raw[i + 1] ?? '');
  }
  return values;
}

function invalidRequest(description: string): HttpProblem {
  return new HttpProblem(
    problem('invalid-request', `${description}: "Authorization: Bearer <token>".`),
    { 'WWW-Authenticate': `${REALM}, error="invalid_request", error_description="${description}"` },
  );
}
