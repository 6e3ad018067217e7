import { describe, expect, it } from '@jest/globals';
import { ownTaskList } from '../../../src/application/tasks/own-task-list.js';
import { ListTasksUseCase } from '../../../src/application/tasks/list-tasks.use-case.js';
import { descriptionProblem, titleProblem } from '../../../src/domain/task/task-rules.js';
import { InvalidTaskError } from '../../../src/domain/task/task.errors.js';
import { Task } from '../../../src/domain/task/task.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask } from '../../support/task-builder.js';

const CONTROLS: [string, string][] = [
  ['ESC (a terminal escape)', '\u001b'],
  ['BEL', '\u0007'],
  ['DEL', '\u007f'],
  ['CSI (a C1 control)', '\u009b'],
  ['NEL (a C1 control)', '\u0085'],
];
const BIDI = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u200b\u200d\u2060',
];

const hex = (text: string) =>
  `U+${text.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;

describe('the text a task may hold', () => {
  describe.each([
    ['title', titleProblem],
    ['description', descriptionProblem],
  ])('its %s', (_field, problemOf) => {
    it.each(CONTROLS)('refuses %s, naming the character', (_name, control) => {
      const problem = problemOf(`Buy ${control}[31mmilk`);
      expect(problem).toMatch(/^must not contain control characters/);
      expect(problem).toContain(`(found ${hex(control)})`);
    });

    it.each(BIDI)('refuses the bidirectional control %j', (bidi) => {
      expect(problemOf(`invoice${bidi}fdp.exe`)).toBe(
        `must not contain bidirectional override or isolate characters (found ${hex(bidi)})`,
      );
    });

    it('accepts letters of any script, emoji and joined emoji', () => {
      expect(problemOf('Café 東京 مرحبا 👩‍💻 ok')).toBeNull();
    });
  });

  it.each(['\n', '\r\n', '\t'])('keeps the line break or tab %j in a description', (space) => {
    expect(descriptionProblem(`first${space}second`)).toBeNull();
  });

  it.each(['\n', '\t'])('refuses the line break or tab %j in a title', (space) => {
    expect(titleProblem(`first${space}second`)).toMatch(/^must not contain control characters/);
  });

  it.each(INVISIBLE)('calls a title of only %j empty', (invisible) => {
    expect(titleProblem(invisible)).toBe('must not be empty');
  });

  it('accepts a title with a zero-width joiner between visible characters', () => {
    expect(titleProblem('a\u200db')).toBeNull();
  });

  it('refuses the character through the entity too, naming the field', () => {
    const create = () =>
      Task.create({ id: 'id-1', ownerId: 'u1', title: '\u200b', now: new Date(0) });
    expect(create).toThrow(InvalidTaskError);
    try {
      create();
    } catch (error) {
      expect((error as InvalidTaskError).violations).toEqual([
        { field: 'title', message: 'must not be empty' },
      ]);
    }
  });

  it('pages past a task stored before these rules, whose title they now refuse', async () => {
    const tasks = new InMemoryTaskRepository();
    const legacy = ['\u001b[31mred', '\u200b', 'plain'];
    for (const title of legacy) await tasks.add(aTask().ownedBy('u1').titled(title).build());
    const list = new ListTasksUseCase(tasks, new FixedClock());
    const page = (cursor: string | null) =>
      list.execute({
        list: ownTaskList('u1', 'u1'),
        status: 'all',
        sort: 'title',
        order: 'asc',
        limit: 1,
        cursor,
      });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result = await page(cursor);
      seen.push(...result.items.map((t) => t.title));
      cursor = result.nextCursor;
    } while (cursor !== null);

    expect(seen.sort()).toEqual([...legacy].sort());
  });
});
