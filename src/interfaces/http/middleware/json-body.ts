import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { HttpProblem, problem } from '../problem.js';

export const MAX_BODY_BYTES = 64 * 1024;

const parse = bodyParser({
  enableTypes: ['json'],
  jsonLimit: MAX_BODY_BYTES,
  encoding: 'utf-8',
  onError: (error) => {
    throw toProblem(error);
  },
});

/**
 * Reads a JSON request body into `ctx.request.body` (undefined when none was sent). Anything but
 * application/json is 415, over 64 KiB is 413, unparseable JSON is 400.
 */
export function jsonBody(): Middleware {
  return async (ctx, next) => {
    if (!hasBody(ctx.headers)) return next();
    if (!ctx.is('application/json')) {
      throw new HttpProblem(
        problem(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'Send the body as JSON with "Content-Type: application/json".',
        ),
      );
    }
    return parse(ctx, next);
  };
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
  if (status === 415) {
    return new HttpProblem(
      problem(
        415,
        'unsupported-media-type',
        'Unsupported media type',
        'Send the body as UTF-8 JSON.',
      ),
    );
  }
  return new HttpProblem(
    problem(
      400,
      'malformed-json',
      'Malformed JSON',
      'The request body is not valid JSON; check quotes, commas and brackets.',
    ),
  );
}
