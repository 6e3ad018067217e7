import type { VersionCondition } from '../../../application/tasks/version-condition.js';
import { HttpProblem, problem } from '../problem.js';

/** One entity-tag of a list (RFC 9110 §8.8.3): optional W/, then a quoted opaque tag. */
const ENTITY_TAG = /^\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/;

interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/** A task's ETag: strong, and new with every version of the task. */
export function etagOf(task: { readonly version: number }): string {
  return `"${task.version}"`;
}

/**
 * If-Match as a condition on the task's version. Strong comparison: a weak tag never matches, nor
 * does a tag this API did not issue. Undefined when the header is absent.
 */
export function ifMatchCondition(header: string | undefined): VersionCondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { kind: 'any' };
  const versions = parseTags(header, 'If-Match')
    .filter((tag) => !tag.weak && /^[1-9]\d{0,15}$/.test(tag.opaque))
    .map((tag) => Number(tag.opaque));
  return { kind: 'one-of', versions };
}

/** If-None-Match against the task's ETag, with weak comparison (RFC 9110 §13.1.2). */
export function noneMatch(header: string | undefined, task: { readonly version: number }): boolean {
  if (header === undefined) return true;
  if (header.trim() === '*') return false;
  const current = etagOf(task);
  return !parseTags(header, 'If-None-Match').some((tag) => `"${tag.opaque}"` === current);
}

/** The longest If-Match or If-None-Match taken: dozens of this API's ETags. */
export const MAX_ENTITY_TAG_LIST_LENGTH = 1024;

function parseTags(header: string, name: string): EntityTag[] {
  if (header.length > MAX_ENTITY_TAG_LIST_LENGTH) throw malformed(name);
  const tags: EntityTag[] = [];
  let rest = header;
  while (rest.trim() !== '') {
    const match = ENTITY_TAG.exec(rest);
    if (!match) throw malformed(name);
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
    rest = rest.slice(match[0].length);
  }
  if (tags.length === 0) throw malformed(name);
  return tags;
}

function malformed(name: string): HttpProblem {
  return new HttpProblem(
    problem(
      'malformed-precondition',
      `${name} must be * or a list of ETags as the API sent them, such as "3" (with the quotes), in at most ${MAX_ENTITY_TAG_LIST_LENGTH} characters.`,
    ),
  );
}
