import { multilineTextProblem, visibleLineProblem } from '../shared/text-rules.js';

/** The rules a task's text must follow, shared by the entity and by request validation. */
export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 1000;

/** Length in characters (code points), as the database counts them, not UTF-16 units. */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** A UTF-16 surrogate not paired with its other half: no character at all. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Returns why a (trimmed) title is unacceptable, or null when it is fine. */
export function titleProblem(title: string): string | null {
  const storable = storableTitleProblem(title);
  if (storable) return storable;
  return visibleLineProblem(title);
}

/** Returns why a description is unacceptable, or null when it is fine. */
export function descriptionProblem(description: string): string | null {
  if (description.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(description)) {
    return 'must be valid Unicode text (it has a lone surrogate)';
  }
  if (characterCount(description) > DESCRIPTION_MAX_LENGTH)
    return `must be at most ${DESCRIPTION_MAX_LENGTH} characters`;
  return multilineTextProblem(description);
}

/**
 * What any stored title satisfies, including titles saved before the text rules
 * (`shared/text-rules.ts`) existed: a cursor naming such a title must still page past it.
 */
export function storableTitleProblem(title: string): string | null {
  if (title.length === 0) return 'must not be empty';
  if (title.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(title)) return 'must be valid Unicode text (it has a lone surrogate)';
  if (characterCount(title) > TITLE_MAX_LENGTH)
    return `must be at most ${TITLE_MAX_LENGTH} characters`;
  return null;
}

/** Due dates are stored as instants with millisecond precision, years 0001–9999 in UTC. */
export function dueAtProblem(dueAt: Date): string | null {
  if (Number.isNaN(dueAt.getTime())) return 'must be a valid date and time';
  const year = dueAt.getUTCFullYear();
  if (year < 1 || year > 9999) return 'must be a date between the years 0001 and 9999';
  return null;
}
