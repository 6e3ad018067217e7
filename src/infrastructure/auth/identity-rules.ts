import { APIError } from 'better-auth/api';
import { visibleLineProblem } from '../../domain/shared/text-rules.js';

/**
 * Bounds on what a user's identity may hold. The name and email travel in every JWT and session
 * answer: unbounded, one user could make their own token too large for the API (8 KiB) or a
 * get-session header too large for a client. 100 + 254 characters keep a token near 1 KiB.
 */
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254; // RFC 5321's limit on a forward path
export const IMAGE_MAX_LENGTH = 2048;

interface IdentityFields {
  readonly name?: unknown;
  readonly email?: unknown;
  readonly image?: unknown;
}

/**
 * Better Auth's database hooks on the user table: every write of a user (sign-up, update-user,
 * any future sign-in method) goes through them. A bad field is a 400 in Better Auth's own error
 * format, `{ message, code }`; a name is stored trimmed.
 */
export const identityHooks = {
  user: {
    create: { before: async (user: IdentityFields) => ({ data: checked(user) }) },
    update: { before: async (user: IdentityFields) => ({ data: checked(user) }) },
  },
};

function checked(user: IdentityFields): { name?: string } {
  const name = typeof user.name === 'string' ? user.name.trim() : user.name;
  if (name !== undefined) refuse('INVALID_NAME', nameProblem(name));
  if (user.email !== undefined) refuse('INVALID_EMAIL', emailProblem(user.email));
  if (user.image !== undefined) refuse('INVALID_IMAGE', imageProblem(user.image));
  return typeof name === 'string' ? { name } : {};
}

function refuse(code: string, message: string | null): void {
  if (message) throw APIError.from('BAD_REQUEST', { code, message });
}

export function nameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'Name must be text';
  if ([...name].length > NAME_MAX_LENGTH) {
    return `Name must be at most ${NAME_MAX_LENGTH} characters`;
  }
  if (/\p{Surrogate}/u.test(name)) return 'Name must be valid Unicode text';
  const problem = visibleLineProblem(name);
  return problem && `Name ${problem}`;
}

export function emailProblem(email: unknown): string | null {
  if (typeof email !== 'string') return 'Email must be text';
  if (email.length > EMAIL_MAX_LENGTH) {
    return `Email must be at most ${EMAIL_MAX_LENGTH} characters`;
  }
  return null;
}

/** An avatar URL is shown by other people's browsers: only https, never javascript: or data:. */
export function imageProblem(image: unknown): string | null {
  if (image === null) return null;
  if (typeof image !== 'string' || !URL.canParse(image) || new URL(image).protocol !== 'https:') {
    return 'Image must be an https: URL';
  }
  if (image.length > IMAGE_MAX_LENGTH) {
    return `Image must be a URL of at most ${IMAGE_MAX_LENGTH} characters`;
  }
  return null;
}
