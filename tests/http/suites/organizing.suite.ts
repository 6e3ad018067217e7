import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { TaskView } from '../../../src/application/tasks/task.view.js';
import type { Api, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface Problem {
  status: number;
  errors: { field: string; detail: string }[];
}
interface Page {
  items: TaskView[];
  nextCursor: string | null;
}

/** Priorities, tags, due dates, recurrence and the list's filters, over HTTP. */
export function organizingSuite(kind: WorldKind): void {
  describe(`organizing tasks on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;
    let tasks: string;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_organizing' });
      api = world.api;
    });

    afterAll(async () => {
      await world?.close();
    });

    beforeEach(async () => {
      user = await world.signUp('Organizer');
      tasks = `/api/${user.id}/tasks`;
    });

    const create = async (json: object) => {
      const res = await api.request<TaskView>('POST', tasks, { token: user.token, json });
      expect(res.status).toBe(201);
      return res.body;
    };
    const send = <T>(method: string, path: string, json?: object) =>
      api.request<T>(method, path, { token: user.token, ...(json ? { json } : {}) });
    const list = async (query: string) => {
      const res = await send<Page>('GET', `${tasks}?${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((task) => task.title);
    };
    const fieldsOf = (res: { status: number; body: Problem }) => {
      expect(res.status).toBe(422);
      return res.body.errors.map((error) => error.field);
    };

    it('creates a task with every organizing field, normalized', async () => {
      const task = await create({
        title: 'Pay rent',
        priority: 'high',
        tags: ['  Home ', 'BILLS', 'home', 'Überweisung'],
        dueAt: '2026-12-01T09:30:00+01:00',
        recurrence: 'monthly',
      });

      expect(task).toMatchObject({
        priority: 'high',
        tags: ['home', 'bills', 'überweisung'],
        dueAt: '2026-12-01T08:30:00.000Z',
        recurrence: 'monthly',
        completedAt: null,
        nextOccurrenceId: null,
      });
    });

    it.each([
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['2026-12-01T09:00:00-23:59', '2026-12-02T08:59:00.000Z'],
    ])('takes the due date %s, at the edges of what can be stored', async (dueAt, stored) => {
      expect(await create({ title: 'Edge', dueAt })).toMatchObject({ dueAt: stored });
    });

    it.each([
      ['no offset', '2026-12-01T10:00:00', 'must be an RFC 3339 date-time with an offset'],
      ['a 30th of February', '2026-02-30T10:00:00Z', 'must be a date and time that exist'],
      ['the hour 24', '2026-12-01T24:00:00Z', 'must be a date and time that exist'],
      [
        'the offset +24:00',
        '2026-12-01T09:00:00+24:00',
        'must have an offset between -23:59 and +23:59',
      ],
      [
        'the offset -05:60',
        '2026-12-01T09:00:00-05:60',
        'must have an offset between -23:59 and +23:59',
      ],
      ['the year 0000', '0000-06-01T00:00:00Z', 'between the years 0001 and 9999'],
      ['the year 0000 once in UTC', '0001-01-01T00:00:00+01:00', 'between the years 0001 and 9999'],
      [
        'the year 10000 once in UTC',
        '9999-12-31T23:00:00-01:00',
        'between the years 0001 and 9999',
      ],
    ])('refuses a due date with %s, naming the reason', async (_, dueAt, reason) => {
      const res = await send<Problem>('POST', tasks, { title: 'x', dueAt });
      expect(fieldsOf(res)).toEqual(['dueAt']);
      expect(res.body.errors[0]?.detail).toContain(reason);
    });

    it('refuses bad organizing fields with a 422 naming each one', async () => {
      const res = await send<Problem>('POST', tasks, {
        title: 'x',
        priority: 'urgent',
        tags: ['ok', 'not ok!'],
        dueAt: '2026-02-30T10:00:00Z',
      });
      expect(fieldsOf(res)).toEqual(['priority', 'tags.1', 'dueAt']);
      expect(res.body.errors[2]?.detail).toContain('RFC 3339');

      expect(
        fieldsOf(await send('POST', tasks, { title: 'x', dueAt: '2026-12-01T10:00:00' })),
      ).toEqual(['dueAt']);
      expect(
        fieldsOf(
          await send('POST', tasks, {
            title: 'x',
            tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
          }),
        ),
      ).toEqual(['tags']);
      expect(fieldsOf(await send('POST', tasks, { title: 'x', tags: ['a'.repeat(33)] }))).toEqual([
        'tags.0',
      ]);
      expect(fieldsOf(await send('POST', tasks, { title: 'x', recurrence: 'daily' }))).toEqual([
        'recurrence',
      ]);
      expect(
        fieldsOf(await send('POST', tasks, { title: 'x', recurrence: 'yearly', dueAt: null })),
      ).toEqual(['recurrence']);
    });

    it('refuses completedAt and nextOccurrenceId in a body: the server sets them', async () => {
      const res = await send<Problem>('POST', tasks, {
        title: 'x',
        completedAt: '2026-01-01T00:00:00Z',
        nextOccurrenceId: null,
      });
      expect(fieldsOf(res)).toEqual(['completedAt', 'nextOccurrenceId']);
      expect(res.body.errors[0]?.detail).toBe('is set by the server, so leave it out');
    });

    it('PATCH changes only what it names; PUT resets what it leaves out', async () => {
      const task = await create({
        title: 'Plan trip',
        priority: 'low',
        tags: ['travel'],
        dueAt: '2027-01-10T00:00:00Z',
      });
      const url = `${tasks}/${task.id}`;

      const patched = await send<TaskView>('PATCH', url, { priority: 'high', tags: [] });
      expect(patched.body).toMatchObject({
        priority: 'high',
        tags: [],
        dueAt: '2027-01-10T00:00:00.000Z',
      });

      const replaced = await send<TaskView>('PUT', url, {
        title: 'Plan trip',
        description: null,
        completed: false,
      });
      expect(replaced.body).toMatchObject({
        priority: 'medium',
        tags: [],
        dueAt: null,
        recurrence: null,
      });
    });

    it('keeps a recurring task dated: clearing its dueAt is a 422 naming dueAt', async () => {
      const task = await create({
        title: 'Water plants',
        dueAt: '2027-01-01T08:00:00Z',
        recurrence: 'weekly',
      });
      const res = await send<Problem>('PATCH', `${tasks}/${task.id}`, { dueAt: null });
      expect(fieldsOf(res)).toEqual(['dueAt']);
    });

    it('completing a recurring task creates its next occurrence, once', async () => {
      const task = await create({
        title: 'Invoice',
        description: 'Send it',
        priority: 'high',
        tags: ['work'],
        dueAt: '2027-01-31T17:00:00Z',
        recurrence: 'monthly',
      });
      const url = `${tasks}/${task.id}`;

      const done = await send<TaskView>('PATCH', `${url}/complete`);
      expect(done.status).toBe(200);
      expect(done.body.completed).toBe(true);
      expect(done.body.completedAt).toBe(done.body.updatedAt);
      const nextId = done.body.nextOccurrenceId;
      expect(nextId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));

      const next = await send<TaskView>('GET', `${tasks}/${nextId}`);
      expect(next.body).toMatchObject({
        title: 'Invoice',
        description: 'Send it',
        priority: 'high',
        tags: ['work'],
        recurrence: 'monthly',
        completed: false,
        completedAt: null,
        // 31 January + 1 month: the last day of February.
        dueAt: '2027-02-28T17:00:00.000Z',
        nextOccurrenceId: null,
      });

      // Reopened and completed again: no second occurrence.
      const reopened = await send<TaskView>('PATCH', `${url}/complete`);
      expect(reopened.body).toMatchObject({
        completed: false,
        completedAt: null,
        nextOccurrenceId: nextId,
      });
      const again = await send<TaskView>('PATCH', url, { completed: true });
      expect(again.body.nextOccurrenceId).toBe(nextId);
      expect(await list('limit=100')).toEqual(['Invoice', 'Invoice']);
    });

    it('PUT that completes a recurring task creates the next occurrence too', async () => {
      const task = await create({
        title: 'Stretch',
        dueAt: '2027-03-01T07:00:00Z',
        recurrence: 'daily',
      });
      const replaced = await send<TaskView>('PUT', `${tasks}/${task.id}`, {
        title: 'Stretch',
        description: null,
        completed: true,
        dueAt: '2027-03-01T07:00:00Z',
        recurrence: 'daily',
      });
      const next = await send<TaskView>('GET', `${tasks}/${replaced.body.nextOccurrenceId}`);
      expect(next.body).toMatchObject({ dueAt: '2027-03-02T07:00:00.000Z', completed: false });
    });

    describe('the list', () => {
      beforeEach(async () => {
        await create({
          title: 'Pay rent',
          priority: 'high',
          tags: ['home', 'bills'],
          dueAt: '2020-01-01T00:00:00Z',
        });
        await create({
          title: 'Call mum',
          description: 'About the 50% DISCOUNT',
          priority: 'low',
          tags: ['home'],
          dueAt: '2100-01-01T00:00:00Z',
        });
        const report = await create({
          title: 'Write report',
          tags: ['work'],
          dueAt: '2020-06-01T00:00:00Z',
        });
        await send('PATCH', `${tasks}/${report.id}/complete`);
        await create({ title: 'Someday', priority: 'high' });
      });

      it('filters by any of the priorities given', async () => {
        expect(await list('priority=high&sort=title&order=asc')).toEqual(['Pay rent', 'Someday']);
        expect(await list('priority=low&priority=medium&sort=title&order=asc')).toEqual([
          'Call mum',
          'Write report',
        ]);
      });

      it('filters by all of the tags given, in any case', async () => {
        expect(await list('tag=HOME&sort=title&order=asc')).toEqual(['Call mum', 'Pay rent']);
        expect(await list('tag=home&tag=bills')).toEqual(['Pay rent']);
      });

      it('searches titles and descriptions, whatever the case', async () => {
        expect(await list('q=RENT')).toEqual(['Pay rent']);
        expect(await list(`q=${encodeURIComponent('50% discount')}`)).toEqual(['Call mum']);
      });

      it('filters by due dates, and by overdue', async () => {
        expect(await list('dueAfter=2020-01-01T00:00:00Z&dueBefore=2020-06-01T00:00:00Z')).toEqual([
          'Pay rent',
        ]);
        expect(
          await list(
            `dueAfter=${encodeURIComponent('2020-06-01T02:00:00+02:00')}&sort=title&order=asc`,
          ),
        ).toEqual(['Call mum', 'Write report']);
        expect(await list('overdue=true')).toEqual(['Pay rent']);
        expect(await list('overdue=false&sort=title&order=asc')).toHaveLength(4);
      });

      it('sorts by due date, undated last, and by priority', async () => {
        expect(await list('sort=dueAt&order=asc')).toEqual([
          'Pay rent',
          'Write report',
          'Call mum',
          'Someday',
        ]);
        expect(await list('sort=dueAt&order=desc')).toEqual([
          'Call mum',
          'Write report',
          'Pay rent',
          'Someday',
        ]);
        const byPriority = await list('sort=priority&order=desc');
        expect(byPriority.slice(0, 2).sort()).toEqual(['Pay rent', 'Someday']);
        expect(byPriority.slice(2)).toEqual(['Write report', 'Call mum']);
      });

      it('pages through a sorted, filtered list with the cursor', async () => {
        const first = await send<Page>('GET', `${tasks}?sort=dueAt&order=asc&tag=home&limit=1`);
        expect(first.body.items.map((t) => t.title)).toEqual(['Pay rent']);
        const second = await send<Page>(
          'GET',
          `${tasks}?sort=dueAt&order=asc&tag=home&limit=1&cursor=${first.body.nextCursor}`,
        );
        expect(second.body.items.map((t) => t.title)).toEqual(['Call mum']);
        expect(second.body.nextCursor).toBeNull();
      });

      it('tells a caller whose "+" arrived as a space to write it as %2B', async () => {
        const res = await send<Problem>('GET', `${tasks}?dueAfter=2026-12-01T00:00:00+01:00`);
        expect(fieldsOf(res)).toEqual(['query.dueAfter']);
        expect(res.body.errors[0]?.detail).toContain('%2B');
        expect(await list('dueAfter=2026-12-01T00:00:00%2B01:00')).toEqual(['Call mum']);
      });

      it.each([
        ['priority=urgent', 'query.priority'],
        ['priority=low&priority=low&priority=low&priority=low', 'query.priority'],
        ['tag=not%20a%20tag', 'query.tag'],
        ['q=', 'query.q'],
        [`q=${'x'.repeat(101)}`, 'query.q'],
        ['q=a&q=b', 'query.q'],
        ['q=%1B%5B31m', 'query.q'],
        ['dueAfter=tomorrow', 'query.dueAfter'],
        ['dueBefore=2026-12-01', 'query.dueBefore'],
        ['dueAfter=2027-01-01T00:00:00Z&dueBefore=2026-01-01T00:00:00Z', 'query.dueBefore'],
        ['overdue=yes', 'query.overdue'],
        ['sort=due', 'query.sort'],
      ])('422 for ?%s, naming %s', async (query, field) => {
        const res = await send<Problem>('GET', `${tasks}?${query}`);
        expect(fieldsOf(res)).toEqual([field]);
      });
    });
  });
}
