import { labelProblem } from '../shared/text-rules.js';

/** Labels a person files tasks under: `#work`, `#home`, `#日本`. */
export const MAX_TAGS = 10;
export const TAG_MAX_LENGTH = 32;

/**
 * The form a tag is stored, compared and searched in: NFKC (`ｗｏｒｋ` and `work` are one tag),
 * lower-cased, NFKC again (lower-casing can leave a form NFKC changes), trimmed (NFKC can make
 * a space). Normalizing it again changes nothing.
 */
export function normalizeTag(tag: string): string {
  return tag.normalize('NFKC').toLowerCase().normalize('NFKC').trim();
}

/** Returns why a (normalized) tag is unacceptable, or null when it is fine. */
export function tagProblem(tag: string): string | null {
  const length = [...tag].length;
  if (length === 0) return 'must not be empty';
  if (length > TAG_MAX_LENGTH) return `must be at most ${TAG_MAX_LENGTH} characters`;
  return labelProblem(tag);
}

/** Normalizes each tag and merges duplicates, keeping the order they were first given in. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag))];
}
