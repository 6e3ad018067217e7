import type { BetterAuthOptions } from 'better-auth';
import type { Logger } from 'pino';

const EMAIL_ADDRESS = /[^\s@<>"']+@[^\s@<>"']+/g;

/** How much of a value a client chose one log line quotes. */
const MAX_QUOTED_CHARACTERS = 200;

/**
 * Better Auth's messages that quote what a client sent (an Origin header, a callback URL), as
 * prefix, quote, suffix. Each is a refusal of that client: a warning at most, never an error,
 * which would say the service is broken.
 */
const CLIENT_QUOTES: readonly RegExp[] = [
  /^(Invalid (?:origin|callbackURL|redirectURL|errorCallbackURL|newUserCallbackURL): )(.*)()$/s,
  /^(If it's a valid URL, please add )(.*)( to trustedOrigins in your auth config\s*)$/s,
];

/** Control characters, line and paragraph separators, and direction overrides. */
const CONTROLS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Better Auth's `logger` option: its lines go to the JSON logger with component "better-auth".
 * Only errors are passed on from the extra arguments (the rest may hold user data); its info lines
 * narrate single requests ("Sign-up attempt for existing email: …") and are debug here; an email
 * address in any message is left out, control characters are escaped, and a client's refusal is
 * a warning quoting at most 200 characters of what it sent.
 */
export function betterAuthLogger(logger: Logger): NonNullable<BetterAuthOptions['logger']> {
  return {
    level: betterAuthLevel(logger.level),
    disabled: logger.level === 'silent',
    log: (level, message, ...args) => {
      const err = args.find((arg) => arg instanceof Error);
      const quoting = quotingClient(String(message));
      const pinoLevel = level === 'info' ? 'debug' : quoting && level === 'error' ? 'warn' : level;
      logger[pinoLevel](
        { component: 'better-auth', ...(err ? { err } : {}) },
        escapeControls(quoting ?? String(message)).replace(EMAIL_ADDRESS, '[email]'),
      );
    },
  };
}

/** The message with its client's quote cut to 200 characters; null if it quotes no client. */
function quotingClient(message: string): string | null {
  for (const pattern of CLIENT_QUOTES) {
    const match = pattern.exec(message);
    if (match) {
      const [, prefix = '', quote = '', suffix = ''] = match;
      const characters = Array.from(quote);
      const cut = characters.length > MAX_QUOTED_CHARACTERS;
      return `${prefix}${characters.slice(0, MAX_QUOTED_CHARACTERS).join('')}${cut ? '…' : ''}${suffix}`;
    }
  }
  return null;
}

function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** LOG_LEVEL in Better Auth's terms (it has no trace or fatal). */
function betterAuthLevel(level: string): 'debug' | 'info' | 'warn' | 'error' {
  if (level === 'trace' || level === 'debug') return 'debug';
  if (level === 'info' || level === 'warn') return level;
  return 'error';
}
