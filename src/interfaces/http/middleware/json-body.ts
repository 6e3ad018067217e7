import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { HttpProblem, problem } from '../problem.js';

export const MAX_BODY_BYTES = 64 * 1024;

const parse = bodyParser({
  enableTypes: ['json'],
  jsonLimit: MAX_BODY_BYTES,
  encoding: 'utf-8',
  // Any JSON value parses; one that is not an object is then a 422 naming the body, not a 400.
  jsonStrict: false,
  onError: (error) => {
    throw toProblem(error);
  },
});

/**
 * Reads a JSON request body into `ctx.request.body` (undefined when none was sent). Anything but
 * application/json in UTF-8 is 415, over 64 KiB is 413, unparseable JSON is 400.
 */
export function jsonBody(): Middleware {
  return async (ctx, next) => {
    if (!hasBody(ctx.headers)) return next();
    if (!ctx.is('application/json')) {
      throw unsupported('Send the body as JSON with "Content-Type: application/json".');
    }
    // Decoded as anything else, the text would be stored garbled: refuse other charsets.
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
      throw unsupported(`Send the body as UTF-8 JSON, not ${charset.slice(0, 40)}.`);
    }
    return parse(ctx, next);
  };
}

function unsupported(detail: string): HttpProblem {
  return new HttpProblem(problem(415, 'unsupported-media-type', 'Unsupported media type', detail));
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

function toProblem(error: Error): HttpProblem {
  const status = (error as { status?: number }).status;
  if (status === 413) {
    return new HttpProblem(
      problem(
        413,
        'payload-too-large',
        'Payload too large',
        `Send at most ${MAX_BODY_BYTES} bytes of JSON.`,
      ),
    );
  }
  if (status === 415) return unsupported('Send the body as UTF-8 JSON.');
  return new HttpProblem(
    problem(
      400,
      'malformed-json',
      'Malformed JSON',
      'The request body is not valid JSON; check quotes, commas and brackets.',
    ),
  );
}
