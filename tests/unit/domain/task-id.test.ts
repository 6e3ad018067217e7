import { describe, it, expect } from '@jest/globals';
import { toTaskId } from '../../../src/domain/task/task-id.js';

const CANONICAL = '3f2b8c4e-9a1d-4e6f-b7c8-0d1e2f3a4b5c';

describe('toTaskId', () => {
  it('accepts a canonical lower-case UUID as it is', () => {
    expect(toTaskId(CANONICAL)).toBe(CANONICAL);
  });

  it('normalises an upper-case UUID to lower case', () => {
    expect(toTaskId(CANONICAL.toUpperCase())).toBe(CANONICAL);
  });

  it('normalises a mixed-case UUID to lower case', () => {
    expect(toTaskId('3F2b8C4e-9A1d-4E6f-B7c8-0D1e2F3a4B5c')).toBe(CANONICAL);
  });

  it.each([
    ['empty', ''],
    ['a word', 'garbage'],
    ['a number', '42'],
    ['no hyphens', CANONICAL.replaceAll('-', '')],
    ['braces', `{${CANONICAL}}`],
    ['a urn prefix', `urn:uuid:${CANONICAL}`],
    ['leading space', ` ${CANONICAL}`],
    ['trailing space', `${CANONICAL} `],
    ['trailing newline', `${CANONICAL}\n`],
    ['one character short', CANONICAL.slice(0, -1)],
    ['one character long', `${CANONICAL}0`],
    ['a non-hex letter', CANONICAL.replace('b', 'g')],
    ['misplaced hyphens', '3f2b8c4e9-a1d-4e6f-b7c8-0d1e2f3a4b5c'],
    ['a path', `../${CANONICAL}`],
    ['SQL', "' or 1=1 --"],
  ])('returns null for %s', (_label, raw) => {
    expect(toTaskId(raw)).toBeNull();
  });
});
