import type { z } from 'zod';
import { HttpProblem, validationProblem, type FieldError } from './problem.js';
import { SERVER_OWNED_FIELDS } from './tasks/tasks.schemas.js';

const SERVER_OWNED = new Set<string>(SERVER_OWNED_FIELDS);

/** Parses `value` with `schema`, or throws a 422 that names every invalid field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpProblem(
    validationProblem(result.error.issues.flatMap((i) => toFieldErrors(i, prefix))),
  );
}

function toFieldErrors(issue: z.core.$ZodIssue, prefix: string): FieldError[] {
  const at = (path: readonly PropertyKey[]) => prefix + (path.map(String).join('.') || 'body');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: at([...issue.path, key]),
      detail: SERVER_OWNED.has(key)
        ? 'is set by the server, so leave it out'
        : 'is not a field of a task, so leave it out',
    }));
  }
  return [{ field: at(issue.path), detail: issue.message }];
}
