import { APIError, createAuthMiddleware } from 'better-auth/api';

/** The fields in which a client names where Better Auth should send the browser next. */
const REDIRECT_FIELDS = ['callbackURL', 'redirectTo', 'errorCallbackURL', 'newUserCallbackURL'];
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Better Auth hook, before every endpoint: a redirect URL is printable ASCII (a URL's own
 * characters, anything else percent-encoded). Sign-in copies callbackURL into a Location header:
 * a control character or one beyond Latin-1 there made it fail with a 500 and a stack in the log,
 * after the session was made.
 */
export const redirectUrlRule = createAuthMiddleware(async (ctx) => {
  for (const source of [ctx.query as unknown, ctx.body as unknown]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const field of REDIRECT_FIELDS) {
      const value = (source as Record<string, unknown>)[field];
      if (typeof value === 'string' && !PRINTABLE_ASCII.test(value)) {
        throw APIError.from('BAD_REQUEST', {
          code: 'INVALID_CALLBACK_URL',
          message: `${field} must be a URL in printable ASCII: percent-encode control characters and anything beyond ASCII (é as %C3%A9)`,
        });
      }
    }
  }
});
