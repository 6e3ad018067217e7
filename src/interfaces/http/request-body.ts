import { isUtf8 } from 'node:buffer';
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
      'payload-too-large',
      `Send a request body of at most ${MAX_BODY_BYTES} bytes (64 KiB).`,
    ),
  );
}

/**
 * True when the body is UTF-8 text, and in a form body its percent-escapes too: decoders would
 * otherwise turn the bad bytes into U+FFFD and the text would be stored silently changed.
 */
export function isUtf8Text(bytes: Buffer, form: boolean): boolean {
  if (!isUtf8(bytes)) return false;
  if (!form) return true;
  try {
    for (const part of bytes.toString('utf8').split(/[&=]/)) decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

export function notUtf8(): HttpProblem {
  return new HttpProblem(
    problem('invalid-utf8', 'The request body is not valid UTF-8; send the text encoded as UTF-8.'),
  );
}

function asProblem(error: unknown): unknown {
  const status = (error as { status?: unknown }).status;
  if (status === 413) return payloadTooLarge();
  // The client stopped early, or sent fewer bytes than its Content-Length announced.
  if (status === 400) {
    return new HttpProblem(
      problem(
        'incomplete-body',
        'The request body ended before the length it announced; send it whole.',
      ),
    );
  }
  return error;
}
