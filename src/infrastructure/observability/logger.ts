import { pino, type Logger } from 'pino';

/** JSON logs on stdout. Credentials are redacted even if one ever ends up in a logged object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
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
  });
}
