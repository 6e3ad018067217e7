import { describe, expect, it } from '@jest/globals';
import {
  HttpProblem,
  PROBLEM_DETAIL_MAX_LENGTH,
  problem,
  validationProblem,
} from '../../../src/interfaces/http/problem.js';
import { PROBLEMS } from '../../../src/interfaces/http/problem-types.js';

describe('problem()', () => {
  it('takes the status and title of its type from the registry', () => {
    expect(problem('task-limit-reached', 'Delete some first.', { limit: 3 })).toEqual({
      type: '/problems/task-limit-reached',
      title: PROBLEMS['task-limit-reached'].title,
      status: 409,
      detail: 'Delete some first.',
      limit: 3,
    });
    expect(validationProblem([{ field: 'title', detail: 'must not be empty' }])).toMatchObject({
      type: '/problems/validation-error',
      status: 422,
      detail: 'Fix these fields: title must not be empty.',
    });
  });

  it('cuts a detail longer than the document allows to that length, ending in "…"', () => {
    const long = problem('not-found', `There is no route for GET /${'é'.repeat(3000)}.`).detail;
    expect([...long]).toHaveLength(PROBLEM_DETAIL_MAX_LENGTH);
    expect(long).toMatch(/^There is no route for GET \/é+…$/);
    const fields = Array.from({ length: 200 }, (_, i) => ({ field: `extra${i}`, detail: 'x' }));
    expect([...validationProblem(fields).detail]).toHaveLength(PROBLEM_DETAIL_MAX_LENGTH);
    expect(problem('not-found', 'a'.repeat(PROBLEM_DETAIL_MAX_LENGTH)).detail).toBe(
      'a'.repeat(PROBLEM_DETAIL_MAX_LENGTH),
    );
  });

  it('does not compile with a type the registry does not list', () => {
    // @ts-expect-error 'teapot' is not a slug of PROBLEMS
    expect(() => new HttpProblem(problem('teapot', 'Short and stout.'))).toThrow(TypeError);
  });

  it('has one title per type, and only error statuses', () => {
    for (const [slug, { status, title, when }] of Object.entries(PROBLEMS)) {
      expect({ slug, status: status >= 400 && status <= 599 }).toEqual({ slug, status: true });
      expect(title.length).toBeGreaterThan(0);
      expect(when).toMatch(/\.$/);
    }
  });
});
