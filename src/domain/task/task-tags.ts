/** Labels a person files tasks under: `#work`, `#home`, `#日本`. */
export const MAX_TAGS = 10;
export const TAG_MAX_LENGTH = 32;

/** Letters of any script (with their combining marks), digits, `-` and `_`. */
const TAG = /^[\p{L}\p{M}\p{Nd}_-]+$/u;

/** The form a tag is stored, compared and searched in: trimmed, lower-cased, NFC. */
export function normalizeTag(tag: string): string {
  return tag.trim().normalize('NFC').toLowerCase();
}

/** Returns why a (normalized) tag is unacceptable, or null when it is fine. */
export function tagProblem(tag: string): string | null {
  const length = [...tag].length;
  if (length === 0) return 'must not be empty';
  if (length > TAG_MAX_LENGTH) return `must be at most ${TAG_MAX_LENGTH} characters`;
  if (!TAG.test(tag)) return 'may contain only letters, digits, "-" and "_"';
  return null;
}

/** Normalizes each tag and merges duplicates, keeping the order they were first given in. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag))];
}
