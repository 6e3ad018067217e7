import type { Middleware } from 'koa';
import { HttpProblem, problem } from '../problem.js';

/**
 * Whether the URL parser keeps `host` as it is (letter case aside, and a default :80): a name or
 * an address with an optional port, and nothing else. A user name (`evil@127.0.0.1`), a path, a
 * query, percent-encoding or an address the parser rewrites (`0x7f.1`) all fail, so no Host can
 * change what a URL built from it points at, or make building one throw.
 */
export function isPlainHost(host: string): boolean {
  const url = URL.parse(`http://${host}`);
  if (url === null) return false;
  const asSent = host.toLowerCase();
  return url.host === asSent || `${url.host}:80` === asSent;
}

export function invalidHost(): HttpProblem {
  return new HttpProblem(
    problem(
      'invalid-host',
      'Send a Host header that names this service, such as "Host: api.example.com".',
    ),
  );
}

/**
 * 400 invalid-host on every route for a Host header that is not a plain name or address with an
 * optional port. A request without one, or with an empty one (HTTP/1.0, some health checks),
 * passes: no route builds a URL from it (the Better Auth mount refuses it on its own).
 */
export function hostCheck(): Middleware {
  return async (ctx, next) => {
    const host = ctx.req.headers.host;
    if (host && !isPlainHost(host)) throw invalidHost();
    await next();
  };
}
