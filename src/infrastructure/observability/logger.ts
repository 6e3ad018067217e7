import type { DestinationStream } from 'pino';
import { pino, stdSerializers, type Logger } from 'pino';
import { summarizeDatabaseError } from '../persistence/database-errors.js';

/** A driver's database error carries a SQLSTATE: five digits or capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * JSON logs on stdout. Credentials are redacted even if one ever ends up in a logged object, and
 * a database error is logged by its code, constraint and table only: drivers write the failing
 * statement's values (user ids, task text) into their messages and details. With tracing on, each
 * line logged inside a request carries its trace_id and span_id.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  /** Fields added to every line: the current trace's ids when tracing is on. */
  mixin?: () => object,
): Logger {
  const options = {
    level,
    ...(mixin && { mixin }),
    serializers: { err: serializeError },
    redact: {
      paths: [
        'authorization',
        'cookie',
        'token',
        '*.authorization',
        '*.cookie',
        '*.token',
        'headers.*',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

function serializeError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SQLSTATE.test(code)) return summarizeDatabaseError(error);
  return error instanceof Error ? stdSerializers.err(error) : error;
}
