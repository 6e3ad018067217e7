import { describe, expect, it } from '@jest/globals';
import { HttpProblem, problem, validationProblem } from '../../../src/interfaces/http/problem.js';
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
