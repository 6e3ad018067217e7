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
  if (title.length === 0) return 'must not be empty';
  if (title.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(title)) return 'must be valid Unicode text (it has a lone surrogate)';
  if (characterCount(title) > TITLE_MAX_LENGTH)
    return `must be at most ${TITLE_MAX_LENGTH} characters`;
  return null;
}

/** Returns why a description is unacceptable, or null when it is fine. */
export function descriptionProblem(description: string): string | null {
  if (description.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(description)) {
    return 'must be valid Unicode text (it has a lone surrogate)';
  }
  if (characterCount(description) > DESCRIPTION_MAX_LENGTH)
    return `must be at most ${DESCRIPTION_MAX_LENGTH} characters`;
  return null;
}
