/** Who is calling, as the verified token says. `id` is the token's `sub`. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly email: string | null;
  readonly name: string | null;
}

/** User ids are stored in 255 characters (Better Auth's are 32): a longer `sub` is refused. */
export const MAX_USER_ID_LENGTH = 255;

/**
 * Tokens longer than this (in characters: a valid token is ASCII) are refused unparsed, so no
 * claim of a verified token (the caller's email or name) is longer either.
 */
export const MAX_TOKEN_BYTES = 8 * 1024;
