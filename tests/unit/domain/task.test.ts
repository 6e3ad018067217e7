import { describe, it, expect, beforeEach } from '@jest/globals';
import { Task, type NewTask } from '../../../src/domain/task/task.js';
import { InvalidTaskError } from '../../../src/domain/task/task.errors.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';
import { aTask } from '../../support/task-builder.js';

const EMOJI = '😀'; // one character, two UTF-16 units

/** Runs `action` and returns the InvalidTaskError it throws; fails the test if it throws nothing. */
function invalidTaskErrorFrom(action: () => unknown): InvalidTaskError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTaskError);
    return error as InvalidTaskError;
  }
  throw new Error('expected an InvalidTaskError, but nothing was thrown');
}

function violatedFields(error: InvalidTaskError): string[] {
  return error.violations.map((v) => v.field).sort();
}

describe('Task', () => {
  let clock: FixedClock;
  let ids: SequentialIdGenerator;

  beforeEach(() => {
    clock = new FixedClock('2026-03-10T08:00:00.000Z');
    ids = new SequentialIdGenerator();
  });

  const newTask = (overrides: Partial<NewTask> = {}): NewTask => ({
    id: ids.next(),
    ownerId: 'owner-1',
    title: 'Write the report',
    now: clock.now(),
    ...overrides,
  });

  describe('create', () => {
    it('makes a pending task with the given id, owner and time', () => {
      const input = newTask({ description: 'Quarterly numbers' });

      const task = Task.create(input);

      expect(task.toSnapshot()).toEqual(
        aTask()
          .withId(input.id)
          .ownedBy('owner-1')
          .titled('Write the report')
          .describedAs('Quarterly numbers')
          .createdAtIso('2026-03-10T08:00:00.000Z')
          .buildSnapshot(),
      );
    });

    it('trims the title', () => {
      const task = Task.create(newTask({ title: ' \t Buy milk \n ' }));

      expect(task.title).toBe('Buy milk');
    });

    it('stores no description when none is given', () => {
      expect(Task.create(newTask()).description).toBeNull();
    });

    it('accepts a null description', () => {
      expect(Task.create(newTask({ description: null })).description).toBeNull();
    });

    it('accepts a one-character title', () => {
      expect(Task.create(newTask({ title: 'x' })).title).toBe('x');
    });

    it('accepts a 200-character title', () => {
      const title = 'a'.repeat(200);

      expect(Task.create(newTask({ title })).title).toBe(title);
    });

    it('counts the title length after trimming', () => {
      const title = 'a'.repeat(200);

      expect(Task.create(newTask({ title: `   ${title}   ` })).title).toBe(title);
    });

    it('refuses a 201-character title', () => {
      const error = invalidTaskErrorFrom(() => Task.create(newTask({ title: 'a'.repeat(201) })));

      expect(violatedFields(error)).toEqual(['title']);
    });

    it('counts characters, not UTF-16 units: 200 emoji are a valid title', () => {
      const title = EMOJI.repeat(200);
      expect(title).toHaveLength(400);

      expect(Task.create(newTask({ title })).title).toBe(title);
    });

    it('refuses a title of 201 emoji', () => {
      const error = invalidTaskErrorFrom(() => Task.create(newTask({ title: EMOJI.repeat(201) })));

      expect(violatedFields(error)).toEqual(['title']);
    });

    it.each([
      ['empty', ''],
      ['spaces only', '     '],
      ['mixed whitespace only', ' \t\n\r '],
    ])('refuses a title that is %s', (_label, title) => {
      const error = invalidTaskErrorFrom(() => Task.create(newTask({ title })));

      expect(error.type).toBe('InvalidTask');
      expect(violatedFields(error)).toEqual(['title']);
    });

    it.each([
      ['in the middle', 'Buy\0milk'],
      ['alone', '\0'],
      ['at the end', 'Buy milk\0'],
    ])('refuses a NUL character %s of the title', (_label, title) => {
      const error = invalidTaskErrorFrom(() => Task.create(newTask({ title })));

      expect(violatedFields(error)).toEqual(['title']);
    });

    it.each([
      ['title', { title: 'a\ud800b' }],
      ['title', { title: '\udc00 end' }],
      ['description', { description: 'half an emoji: \ud83d' }],
    ])('refuses a lone surrogate in the %s', (field, text) => {
      const error = invalidTaskErrorFrom(() => Task.create(newTask(text)));

      expect(violatedFields(error)).toEqual([field]);
    });

    it('keeps emoji, whose surrogates come in pairs', () => {
      expect(Task.create(newTask({ title: '😀 done', description: '🎉' })).title).toBe('😀 done');
    });

    it('refuses a NUL character in the description', () => {
      const error = invalidTaskErrorFrom(() =>
        Task.create(newTask({ description: 'first line\0second line' })),
      );

      expect(violatedFields(error)).toEqual(['description']);
    });

    it('accepts a 1000-character description', () => {
      const description = 'd'.repeat(1000);

      expect(Task.create(newTask({ description })).description).toBe(description);
    });

    it('counts description characters, not UTF-16 units', () => {
      const description = EMOJI.repeat(1000);

      expect(Task.create(newTask({ description })).description).toBe(description);
    });

    it('refuses a 1001-character description', () => {
      const error = invalidTaskErrorFrom(() =>
        Task.create(newTask({ description: 'd'.repeat(1001) })),
      );

      expect(violatedFields(error)).toEqual(['description']);
    });

    it('lists every violated field at once', () => {
      const error = invalidTaskErrorFrom(() =>
        Task.create(newTask({ title: '   ', description: 'd'.repeat(1001) })),
      );

      expect(violatedFields(error)).toEqual(['description', 'title']);
      for (const violation of error.violations) expect(violation.message).not.toBe('');
    });
  });

  describe('edit', () => {
    const created = '2026-03-01T00:00:00.000Z';
    let task: Task;

    beforeEach(() => {
      task = aTask()
        .ownedBy('owner-1')
        .titled('Old title')
        .describedAs('Old description')
        .createdAtIso(created)
        .build();
    });

    it('applies every given change and stamps the clock time', () => {
      task.edit(
        { title: '  New title ', description: 'New description', completed: true },
        clock.now(),
      );

      expect(task.title).toBe('New title');
      expect(task.description).toBe('New description');
      expect(task.completed).toBe(true);
      expect(task.updatedAt).toEqual(clock.now());
      expect(task.createdAt).toEqual(new Date(created));
    });

    it('leaves fields that are not mentioned as they were', () => {
      task.edit({ title: 'Only the title' }, clock.now());

      expect(task.description).toBe('Old description');
      expect(task.completed).toBe(false);
    });

    it('clears the description when given null', () => {
      task.edit({ description: null }, clock.now());

      expect(task.description).toBeNull();
      expect(task.updatedAt).toEqual(clock.now());
    });

    it('applies nothing when the title is invalid, not even a valid description', () => {
      const before = task.toSnapshot();

      const error = invalidTaskErrorFrom(() =>
        task.edit({ title: '  ', description: 'New description', completed: true }, clock.now()),
      );

      expect(violatedFields(error)).toEqual(['title']);
      expect(task.toSnapshot()).toEqual(before);
    });

    it('applies nothing when the description is invalid, not even a valid title', () => {
      const before = task.toSnapshot();

      invalidTaskErrorFrom(() =>
        task.edit({ title: 'New title', description: 'd'.repeat(1001) }, clock.now()),
      );

      expect(task.toSnapshot()).toEqual(before);
    });

    it('lists every violated field at once', () => {
      const error = invalidTaskErrorFrom(() =>
        task.edit({ title: 'a'.repeat(201), description: 'bad\0text' }, clock.now()),
      );

      expect(violatedFields(error)).toEqual(['description', 'title']);
    });

    it('refuses NUL characters in the title and the description', () => {
      expect(
        violatedFields(invalidTaskErrorFrom(() => task.edit({ title: 'a\0' }, clock.now()))),
      ).toEqual(['title']);
      expect(
        violatedFields(invalidTaskErrorFrom(() => task.edit({ description: '\0' }, clock.now()))),
      ).toEqual(['description']);
    });

    it('trims the new title and enforces its length after trimming', () => {
      task.edit({ title: `  ${EMOJI.repeat(200)}  ` }, clock.now());

      expect(task.title).toBe(EMOJI.repeat(200));
      expect(() => task.edit({ title: EMOJI.repeat(201) }, clock.now())).toThrow(InvalidTaskError);
    });

    it('does not bump updatedAt when nothing actually changes', () => {
      const before = task.toSnapshot();

      task.edit(
        { title: '  Old title  ', description: 'Old description', completed: false },
        clock.now(),
      );
      task.edit({}, clock.now());

      expect(task.toSnapshot()).toEqual(before);
      expect(task.updatedAt).toEqual(new Date(created));
    });

    it('bumps updatedAt when only the completion changes', () => {
      task.edit({ completed: true }, clock.now());

      expect(task.completed).toBe(true);
      expect(task.updatedAt).toEqual(clock.now());
    });

    it('never moves updatedAt before createdAt when the clock stepped back', () => {
      clock.set('2026-02-01T00:00:00.000Z');

      task.edit({ title: 'Edited after the clock stepped back' }, clock.now());

      expect(task.title).toBe('Edited after the clock stepped back');
      expect(task.updatedAt).toEqual(new Date(created));
    });
  });

  describe('toggleCompletion', () => {
    it('marks a pending task completed and stamps the clock time', () => {
      const task = aTask().createdAtIso('2026-03-01T00:00:00.000Z').build();

      task.toggleCompletion(clock.now());

      expect(task.completed).toBe(true);
      expect(task.updatedAt).toEqual(new Date('2026-03-10T08:00:00.000Z'));
    });

    it('marks a completed task pending again', () => {
      const task = aTask().completed().createdAtIso('2026-03-01T00:00:00.000Z').build();

      task.toggleCompletion(clock.now());

      expect(task.completed).toBe(false);
      expect(task.updatedAt).toEqual(clock.now());
    });

    it('flips back and forth, bumping updatedAt each time', () => {
      const task = Task.create(newTask());

      clock.advance(1_000);
      task.toggleCompletion(clock.now());
      expect(task.completed).toBe(true);
      expect(task.updatedAt).toEqual(clock.now());

      clock.advance(1_000);
      task.toggleCompletion(clock.now());
      expect(task.completed).toBe(false);
      expect(task.updatedAt).toEqual(clock.now());
    });

    it('leaves title and description alone', () => {
      const task = aTask().titled('Keep me').describedAs('And me').build();

      task.toggleCompletion(clock.now());

      expect(task.title).toBe('Keep me');
      expect(task.description).toBe('And me');
    });

    it('never moves updatedAt before createdAt when the clock stepped back', () => {
      const task = Task.create(newTask());
      clock.advance(-60 * 60 * 1000);

      task.toggleCompletion(clock.now());

      expect(task.completed).toBe(true);
      expect(task.updatedAt).toEqual(task.createdAt);
      expect(task.updatedAt.getTime()).toBeGreaterThanOrEqual(task.createdAt.getTime());
    });
  });

  describe('snapshots', () => {
    it('round-trips through fromSnapshot and toSnapshot', () => {
      const snapshot = aTask()
        .withId(ids.next())
        .ownedBy('owner-7')
        .titled(`Pay the rent ${EMOJI}`)
        .describedAs('Before the 5th')
        .withPriority('high')
        .withTags('home', 'bills')
        .dueAtIso('2026-01-05T00:00:00.000Z')
        .recurring('monthly')
        .completedAtIso('2026-01-02T03:04:05.678Z')
        .followedBy(ids.next())
        .createdAtIso('2025-12-24T10:11:12.345Z')
        .updatedAtIso('2026-01-02T03:04:05.678Z')
        .atVersion(7)
        .buildSnapshot();

      const task = Task.fromSnapshot(snapshot);

      expect(task.toSnapshot()).toEqual(snapshot);
      expect(task.id).toBe(snapshot.id);
      expect(task.ownerId).toBe('owner-7');
      expect(task.completed).toBe(true);
      expect(task.updatedAt).toEqual(snapshot.updatedAt);
    });

    it('round-trips a task without a description', () => {
      const task = Task.create(newTask({ title: 'No details' }));

      expect(Task.fromSnapshot(task.toSnapshot()).toSnapshot()).toEqual(task.toSnapshot());
    });
  });
});
