import { ApiError, NetworkError, ValidationError } from 'better-auth-task-api/client';

/** Any failure of a Task API call, as a sentence for a person. */
export function taskErrorMessage(error: unknown): string {
  if (error instanceof ValidationError) {
    const fields = Object.entries(error.fields).map(
      ([field, problem]) => `${capitalize(field)} ${problem}.`,
    );
    return fields.length > 0 ? fields.join(' ') : error.message;
  }
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

/** A Better Auth error (sign-up, sign-in) as a sentence for a person. */
export function authErrorMessage(error: { status?: number; message?: string }): string {
  if (error.status === 429) return 'Too many attempts. Wait a few seconds and try again.';
  if (!error.message) return 'That did not work. Please try again.';
  return /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
