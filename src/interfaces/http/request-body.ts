import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { HttpProblem, problem } from './problem.js';

/** The largest request body any route reads: the task API's and Better Auth's alike. */
export const MAX_BODY_BYTES = 64 * 1024;

/** True when the request carries a body: a non-zero Content-Length, or a chunked stream. */
export function declaresBody(req: IncomingMessage): boolean {
  const { headers } = req;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/**
 * Reads the whole request body into memory, at most MAX_BODY_BYTES of it: a Content-Length over
 * the limit is refused with 413 before a byte is read, a chunked stream as soon as it grows past
 * it. Node discards whatever the client still sends.
 */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await getRawBody(req, {
      limit: MAX_BODY_BYTES,
      length: req.headers['content-length'] ?? null,
    });
  } catch (error) {
    throw asProblem(error);
  }
}

export function payloadTooLarge(): HttpProblem {
  return new HttpProblem(
    problem(
      413,
      'payload-too-large',
      'Payload too large',
      `Send a request body of at most ${MAX_BODY_BYTES} bytes (64 KiB).`,
    ),
  );
}

function asProblem(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  if (status === 413) return payloadTooLarge();
  // The client stopped early, or sent fewer bytes than its Content-Length announced.
  if (status === 400) {
    return new HttpProblem(
      problem(
        400,
        'incomplete-body',
        'Incomplete request body',
        'The request body ended before the length it announced; send it whole.',
      ),
    );
  }
  return error;
}
