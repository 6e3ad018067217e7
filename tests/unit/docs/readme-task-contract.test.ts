import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { toTaskView } from '../../../src/application/tasks/task.view.js';
import { TASK_SORT_FIELDS } from '../../../src/domain/task/task-repository.port.js';
import {
  createTaskBody,
  replaceTaskBody,
  SERVER_OWNED_FIELDS,
  updateTaskBody,
} from '../../../src/interfaces/http/tasks/tasks.schemas.js';
import { aTask } from '../../support/task-builder.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

function find(pattern: RegExp): string {
  const match = pattern.exec(README);
  if (!match?.[1]) throw new Error(`README.md has no ${pattern}`);
  return match[1];
}

/** The words of a piece of README text (`description?` keeps its question mark). */
const wordsOf = (text: string) => text.match(/\w+\??/g) ?? [];
/** The names in backquotes: `title`, `description`. */
const quotedIn = (text: string) => [...text.matchAll(/`(\w+)`/g)].map((m) => m[1]);
/** A body's fields as the README writes them: a field the body may leave out ends with `?`. */
const fieldsOf = (body: z.ZodObject) =>
  Object.entries(body.shape).map(([field, rule]) =>
    rule.safeParse(undefined).success ? `${field}?` : field,
  );
/** The row of the HTTP contract's table for an operation: its body column. */
const bodyOf = (operation: string) =>
  find(new RegExp(`^\\| \`${operation.replace(/[{}]/g, '\\$&')}\` +\\| ([^|]*)\\|`, 'm'));

describe("README's HTTP contract of a task", () => {
  it('names every field of a task, in the order the API answers them', () => {
    const view = toTaskView(aTask().build());

    expect(wordsOf(find(/A task is `\{([^}]*)\}`/))).toEqual(Object.keys(view));
  });

  it('names the fields that belong to the server', () => {
    expect(quotedIn(find(/((?:`\w+`,?\s+(?:and\s+)?)+)belong to the server/))).toEqual([
      ...SERVER_OWNED_FIELDS,
    ]);
  });

  it('gives the fields of POST, the ones PUT requires and the ones PATCH takes', () => {
    expect(wordsOf(bodyOf('POST /api/{user_id}/tasks'))).toEqual(fieldsOf(createTaskBody));
    expect(wordsOf(find(/`\{([^}]*)\}` required/))).toEqual(
      fieldsOf(replaceTaskBody).filter((field) => !field.endsWith('?')),
    );
    expect(quotedIn(bodyOf('PATCH /api/{user_id}/tasks/{id}'))).toEqual(
      Object.keys(updateTaskBody.shape),
    );
  });

  it('gives every order a list may be sorted in', () => {
    expect(find(/`sort=([\w|]+)`/).split('|')).toEqual([...TASK_SORT_FIELDS]);
  });
});
