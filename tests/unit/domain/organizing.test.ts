import { describe, expect, it } from '@jest/globals';
import { nextDueAt } from '../../../src/domain/task/recurrence.js';
import { Task } from '../../../src/domain/task/task.js';
import { InvalidTaskError } from '../../../src/domain/task/task.errors.js';
import { dueAtProblem } from '../../../src/domain/task/task-rules.js';
import { normalizeTags, tagProblem } from '../../../src/domain/task/task-tags.js';
import { searchNeedle, searchTextOf } from '../../../src/domain/task/task-search.js';
import { aTask } from '../../support/task-builder.js';

const NOW = new Date('2026-06-01T10:00:00.000Z');
const LATER = new Date('2026-06-02T10:00:00.000Z');
const at = (iso: string) => new Date(iso);
const newTask = (fields: Partial<Parameters<typeof Task.create>[0]> = {}) =>
  Task.create({ id: 'task-1', ownerId: 'owner-1', title: 'Water plants', now: NOW, ...fields });

function violationsOf(action: () => unknown): { field: string; message: string }[] {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidTaskError) return [...error.violations];
    throw error;
  }
  throw new Error('expected an InvalidTaskError');
}

describe('next due dates', () => {
  it.each([
    ['daily', '2026-12-31T23:30:00.000Z', '2027-01-01T23:30:00.000Z'],
    ['weekly', '2026-02-26T08:00:00.000Z', '2026-03-05T08:00:00.000Z'],
    ['monthly', '2026-01-15T08:00:00.000Z', '2026-02-15T08:00:00.000Z'],
    ['monthly', '2026-01-31T08:00:00.000Z', '2026-02-28T08:00:00.000Z'],
    ['monthly', '2028-01-31T08:00:00.000Z', '2028-02-29T08:00:00.000Z'],
    ['monthly', '2026-03-31T23:59:59.999Z', '2026-04-30T23:59:59.999Z'],
    ['monthly', '2026-12-31T00:00:00.000Z', '2027-01-31T00:00:00.000Z'],
  ] as const)('%s after %s is %s (UTC)', (recurrence, due, next) => {
    expect(nextDueAt(at(due), recurrence).toISOString()).toBe(next);
  });
});

describe('tags', () => {
  it('are trimmed, lower-cased, composed and merged, in the order first given', () => {
    expect(normalizeTags([' Work ', 'WORK', 'Cafe\u0301', 'café', '日本'])).toEqual([
      'work',
      'café',
      '日本',
    ]);
  });

  it.each([
    ['', 'must not be empty'],
    ['a'.repeat(33), 'must be at most 32 characters'],
    ['two words', 'may contain only letters, digits, "-" and "_"'],
    ['#hash', 'may contain only letters, digits, "-" and "_"'],
  ])('refuses %j: %s', (tag, message) => {
    expect(tagProblem(tag)).toBe(message);
  });

  it.each(['हिंदी', 'to-do_2', 'ß', 'a'.repeat(32)])('accepts %j', (tag) => {
    expect(tagProblem(tag)).toBeNull();
  });
});

describe('due dates', () => {
  it.each(['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'])('take %s', (iso) => {
    expect(dueAtProblem(at(iso))).toBeNull();
  });

  it.each([
    ['a year before 0001', at('0000-12-31T23:59:59.999Z')],
    ['a year after 9999', at('+010000-01-01T00:00:00.000Z')],
  ])('refuse %s, naming the years', (_, dueAt) => {
    expect(dueAtProblem(dueAt)).toBe('must be a date between the years 0001 and 9999');
  });

  it('refuse an invalid date as what it is, not as a year out of range', () => {
    expect(dueAtProblem(new Date(Number.NaN))).toBe('must be a valid date and time');
  });
});

describe('search text', () => {
  it('folds case, Greek final sigma included, and keeps title and description apart', () => {
    expect(searchTextOf({ title: 'ΟΔΟΣ', description: 'Über' })).toBe('οδοσ\nüber');
    expect(searchNeedle('ΟΔΟΣ')).toBe('οδοσ');
    expect(searchTextOf({ title: 'x', description: null })).toBe('x\n');
  });
});

describe('an organized task', () => {
  it('starts with the defaults', () => {
    expect(newTask().toSnapshot()).toMatchObject({
      priority: 'medium',
      tags: [],
      dueAt: null,
      recurrence: null,
      completedAt: null,
      nextOccurrenceId: null,
    });
  });

  it('needs a due date to recur, and keeps it while it recurs', () => {
    expect(violationsOf(() => newTask({ recurrence: 'daily' }))).toEqual([
      { field: 'recurrence', message: 'needs a dueAt: a recurring task repeats from its due date' },
    ]);
    const task = newTask({ recurrence: 'daily', dueAt: NOW });
    expect(violationsOf(() => task.edit({ dueAt: null }, LATER))).toEqual([
      {
        field: 'dueAt',
        message: 'must stay set while the task recurs: set recurrence to null first',
      },
    ]);
    task.edit({ dueAt: null, recurrence: null }, LATER);
    expect(task.recurrence).toBeNull();
  });

  it('names each bad tag by its place in the request', () => {
    expect(violationsOf(() => newTask({ tags: ['ok', 'OK', 'not ok'] }))).toEqual([
      { field: 'tags.2', message: 'may contain only letters, digits, "-" and "_"' },
    ]);
  });

  it('records when it was completed, and forgets it when reopened', () => {
    const task = newTask();
    task.toggleCompletion(LATER);
    expect(task.completedAt).toEqual(LATER);
    task.edit({ completed: false }, LATER);
    expect(task.completedAt).toBeNull();
    task.edit({ completed: true, title: 'Water all plants' }, NOW);
    // Completed again: the time of this change.
    expect(task.completedAt).toEqual(NOW);
  });

  it('is unchanged (same version) by an edit that sets what it already has', () => {
    const task = newTask({ tags: ['home'], dueAt: NOW, priority: 'high' });
    task.edit({ tags: ['HOME'], dueAt: new Date(NOW), priority: 'high' }, LATER);
    expect(task.version).toBe(1);
  });

  it('gives its next occurrence once, only when completed and recurring', () => {
    const task = newTask({
      description: 'All of them',
      priority: 'high',
      tags: ['home'],
      dueAt: at('2026-01-31T09:00:00.000Z'),
      recurrence: 'monthly',
    });
    expect(task.nextOccurrence('task-2', LATER)).toBeNull();
    task.toggleCompletion(LATER);

    const next = task.nextOccurrence('task-2', LATER);

    expect(next?.toSnapshot()).toEqual(
      aTask()
        .withId('task-2')
        .ownedBy('owner-1')
        .titled('Water plants')
        .describedAs('All of them')
        .withPriority('high')
        .withTags('home')
        .dueAtIso('2026-02-28T09:00:00.000Z')
        .recurring('monthly')
        .createdAtIso(LATER.toISOString())
        .buildSnapshot(),
    );
    expect(task.nextOccurrenceId).toBe('task-2');
    task.toggleCompletion(LATER);
    task.toggleCompletion(LATER);
    expect(task.nextOccurrence('task-3', LATER)).toBeNull();
  });

  it('ends the series past the year 9999', () => {
    const task = newTask({ dueAt: at('9999-12-15T00:00:00.000Z'), recurrence: 'monthly' });
    task.toggleCompletion(LATER);
    expect(task.nextOccurrence('task-2', LATER)).toBeNull();
  });
});
