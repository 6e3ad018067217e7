import type { Middleware } from 'koa';
import type { ProblemUse, Step } from '../operation.js';
import { HttpProblem, problem } from '../problem.js';
import { declaresBody, MAX_BODY_BYTES, notUtf8, readBody } from '../request-body.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body, set by jsonBody(); undefined when none was sent. */
    body?: unknown;
  }
}

/** Only these methods carry a body the task API reads; any other method's body is ignored. */
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Refuses bytes that are not UTF-8 instead of replacing them with U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body into `ctx.request.body` (undefined when none was sent). Anything but
 * uncompressed application/json in UTF-8 is 415, over 64 KiB is 413, bytes that are not UTF-8 or
 * text that is not JSON are 400.
 */
export function jsonBody(): Middleware {
  return async (ctx, next) => {
    if (!declaresBody(ctx.req)) return next();
    if (!ctx.is('application/json')) {
      throw unsupported('Send the body as JSON with "Content-Type: application/json".');
    }
    // Decoded as anything else, the text would be stored garbled: refuse other charsets.
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
      throw unsupported(`Send the body as UTF-8 JSON, not ${charset.slice(0, 40)}.`);
    }
    const encoding = ctx.get('Content-Encoding').toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      throw unsupported('Send the body uncompressed, without a Content-Encoding.');
    }
    if (!METHODS_WITH_BODY.has(ctx.method)) return next();
    ctx.request.body = parse(await readBody(ctx.req));
    return next();
  };
}

const BODY_PROBLEMS: readonly ProblemUse[] = [
  ['payload-too-large', `a body over ${MAX_BODY_BYTES} bytes (64 KiB).`],
  'malformed-json',
  'invalid-utf8',
  'incomplete-body',
];

/** jsonBody() as an operation's step: any body but JSON is refused, and a write's is read. */
export const JSON_BODY: Step = {
  run: jsonBody(),
  problems: (method) => [
    'unsupported-media-type',
    ...(METHODS_WITH_BODY.has(method.toUpperCase()) ? BODY_PROBLEMS : []),
  ],
};

function parse(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw notUtf8();
  }
  if (text === '') return undefined;
  try {
    // Any JSON value parses; one that is not an object is then a 422 naming the body, not a 400.
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(
      problem(
        'malformed-json',
        'The request body is not valid JSON; check quotes, commas and brackets.',
      ),
    );
  }
}

function unsupported(detail: string): HttpProblem {
  return new HttpProblem(problem('unsupported-media-type', detail));
}
