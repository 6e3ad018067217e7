import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeSyncToken } from '../../../src/application/tasks/sync-token.js';
import type { TaskView } from '../../../src/application/tasks/task.view.js';
import type { Api, Response, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

type Change = { task: TaskView } | { deleted: string };
interface Changes {
  changes: Change[];
  next: string;
  more: boolean;
}
interface ProblemJson {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; detail: string }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A change as `task:<title>` or `deleted:<id>`: a failure reads as the story it tells. */
const brief = (change: Change): string =>
  'task' in change ? `task:${change.task.title}` : `deleted:${change.deleted}`;

/** GET /api/{user_id}/tasks/changes: delta sync with tombstones. */
export function syncSuite(kind: WorldKind): void {
  describe(`syncing a copy of the tasks (/tasks/changes) on ${kind.name}`, () => {
    let world: World;
    let api: Api;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_sync' });
      api = world.api;
    });

    afterAll(async () => {
      await world?.close();
    });

    const changesOf = (user: SignedInUser, query = '') =>
      api.request<Changes>('GET', `/api/${user.id}/tasks/changes${query}`, { token: user.token });

    async function create(user: SignedInUser, title: string, fields: object = {}) {
      const res = await api.request<TaskView>('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title, ...fields },
      });
      expect(res.status).toBe(201);
      return res.body;
    }

    /** Every page from `since` (or a full sync) to the end. */
    async function syncAll(user: SignedInUser, since?: string, limit = 100) {
      const pages: Changes[] = [];
      let token = since;
      for (let i = 0; i < 100; i++) {
        const query = `?limit=${limit}${token === undefined ? '' : `&since=${token}`}`;
        const res = await changesOf(user, query);
        expect(res.status).toBe(200);
        pages.push(res.body);
        token = res.body.next;
        if (!res.body.more) return { pages, changes: pages.flatMap((p) => p.changes), next: token };
      }
      throw new Error('the sync did not end');
    }

    function expectProblem(res: Response, status: number): ProblemJson {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      return res.body as ProblemJson;
    }

    it('gives a new user an empty full sync and a token, and that token nothing new', async () => {
      const user = await world.signUp('Empty');

      const first = await changesOf(user);

      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      expect(first.body).toEqual({ changes: [], next: expect.any(String), more: false });
      expect(first.body.next).toMatch(/^[A-Za-z0-9_-]+$/);
      const again = await changesOf(user, `?since=${first.body.next}`);
      expect(again.body).toMatchObject({ changes: [], more: false });
    });

    it('pages a full sync of every current task, without the ones deleted before it', async () => {
      const user = await world.signUp('Full');
      for (const title of ['one', 'two', 'three', 'four', 'five']) await create(user, title);
      const gone = await create(user, 'gone');
      await api.request('DELETE', `/api/${user.id}/tasks/${gone.id}`, { token: user.token });

      const { pages, changes } = await syncAll(user, undefined, 2);

      expect(pages.map((page) => [page.changes.length, page.more])).toEqual([
        [2, true],
        [2, true],
        [1, false],
      ]);
      expect(changes.map(brief)).toEqual([
        'task:one',
        'task:two',
        'task:three',
        'task:four',
        'task:five',
      ]);
    });

    it('lets a client that was offline catch up: changes in order, each task once, deletes as {deleted}', async () => {
      const user = await world.signUp('Offline');
      const kept = await create(user, 'kept');
      const edited = await create(user, 'edit me');
      const doomed = await create(user, 'doomed');
      const { next: offlineAt, changes: copy } = await syncAll(user);
      expect(copy).toHaveLength(3);

      // Meanwhile, on another device:
      const added = await create(user, 'added');
      const path = `/api/${user.id}/tasks`;
      await api.request('PATCH', `${path}/${edited.id}`, {
        token: user.token,
        json: { title: 'edited once' },
      });
      await api.request('DELETE', `${path}/${doomed.id}`, { token: user.token });
      await api.request('PATCH', `${path}/${edited.id}/complete`, { token: user.token });

      const { changes, next } = await syncAll(user, offlineAt);

      expect(changes.map(brief)).toEqual([
        'task:added',
        `deleted:${doomed.id}`,
        'task:edited once',
      ]);
      expect(changes[1]).toEqual({ deleted: doomed.id });
      const latest = changes[2] as { task: TaskView };
      expect(latest.task).toMatchObject({ id: edited.id, completed: true, version: 3 });
      expect(changes.some((c) => 'task' in c && c.task.id === kept.id)).toBe(false);
      expect(added.id).toBe((changes[0] as { task: TaskView }).task.id);
      // Caught up: nothing more until the next change.
      await expect(syncAll(user, next)).resolves.toMatchObject({ changes: [] });
    });

    it('resumes across a page boundary without losing or repeating a change', async () => {
      const user = await world.signUp('Pages');
      const { next: start } = await syncAll(user);
      const made: string[] = [];
      for (let i = 1; i <= 5; i++) made.push(`task:t${i}`);
      for (let i = 1; i <= 5; i++) await create(user, `t${i}`);

      const first = await changesOf(user, `?since=${start}&limit=3`);
      expect(first.body.changes.map(brief)).toEqual(made.slice(0, 3));
      expect(first.body.more).toBe(true);
      // A change made between two pages comes after the rest, once.
      const t1 = (first.body.changes[0] as { task: TaskView }).task;
      await api.request('PATCH', `/api/${user.id}/tasks/${t1.id}`, {
        token: user.token,
        json: { title: 't1 renamed' },
      });
      const second = await changesOf(user, `?since=${first.body.next}&limit=3`);

      expect(second.body.changes.map(brief)).toEqual(['task:t4', 'task:t5', 'task:t1 renamed']);
      expect(second.body.more).toBe(false);
    });

    it('brings 20 concurrent creates and edits, a page of one at a time, each once', async () => {
      const user = await world.signUp('Busy');
      const first = await create(user, 'edited while the others land');
      const { next: before } = await syncAll(user);

      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i === 0
            ? api.request('PATCH', `/api/${user.id}/tasks/${first.id}`, {
                token: user.token,
                json: { title: 'edited' },
              })
            : api.request<TaskView>('POST', `/api/${user.id}/tasks`, {
                token: user.token,
                json: { title: `concurrent ${i}` },
              }),
        ),
      );
      expect(made.map((res) => res.status)).toEqual([200, ...Array(19).fill(201)]);

      const { pages, changes } = await syncAll(user, before, 1);
      expect(pages).toHaveLength(20);
      const titles = changes.map(brief);
      expect(new Set(titles).size).toBe(20);
      expect(titles.sort()).toEqual(
        ['task:edited', ...Array.from({ length: 19 }, (_, i) => `task:concurrent ${i + 1}`)].sort(),
      );
    });

    it('shows a completed recurring task and its next occurrence', async () => {
      const user = await world.signUp('Recurring');
      const task = await create(user, 'water plants', {
        dueAt: '2026-06-01T09:00:00Z',
        recurrence: 'daily',
      });
      const { next } = await syncAll(user);

      await api.request('PATCH', `/api/${user.id}/tasks/${task.id}/complete`, {
        token: user.token,
      });

      const { changes } = await syncAll(user, next);
      const tasks = changes.map((c) => (c as { task: TaskView }).task);
      expect(tasks).toHaveLength(2);
      expect(tasks.find((t) => t.id === task.id)).toMatchObject({ completed: true });
      expect(tasks.find((t) => t.id !== task.id)).toMatchObject({
        title: 'water plants',
        completed: false,
        dueAt: '2026-06-02T09:00:00.000Z',
      });
    });

    it("never shows another user's changes, and refuses their token with a 422", async () => {
      const ada = await world.signUp('Ada');
      const bob = await world.signUp('Bob');
      await create(ada, 'ada only');
      const { next: adasToken } = await syncAll(ada);

      await expect(syncAll(bob)).resolves.toMatchObject({ changes: [] });
      const problem = expectProblem(await changesOf(bob, `?since=${adasToken}`), 422);

      expect(problem.type).toBe('/problems/validation-error');
      expect(problem.errors).toEqual([
        { field: 'query.since', detail: expect.stringContaining('another user') },
      ]);
    });

    it('refuses a token it did not issue with a 422', async () => {
      const user = await world.signUp('Forger');
      for (const since of [
        'not-a-token',
        Buffer.from('{"v":2}').toString('base64url'),
        'x'.repeat(300),
      ]) {
        const problem = expectProblem(await changesOf(user, `?since=${since}`), 422);
        expect(problem.errors?.[0]?.field).toBe('query.since');
      }
    });

    it('answers a token older than CHANGE_RETENTION_DAYS with 410: sync from scratch', async () => {
      const user = await world.signUp('Late');
      const old = encodeSyncToken(user.id, {
        seq: 0,
        floor: 0,
        issuedAt: Date.now() - 31 * DAY_MS,
      });

      const problem = expectProblem(await changesOf(user, `?since=${old}`), 410);

      expect(problem.type).toBe('/problems/sync-expired');
      expect(problem.detail).toContain('without `since`');
      // A day younger, the same token is fine.
      const recent = encodeSyncToken(user.id, {
        seq: 0,
        floor: 0,
        issuedAt: Date.now() - 29 * DAY_MS,
      });
      expect((await changesOf(user, `?since=${recent}`)).status).toBe(200);
    });

    it('answers 410 for a position this user never reached (changes lost, say a restored backup)', async () => {
      const user = await world.signUp('Restored');
      const ahead = encodeSyncToken(user.id, { seq: 99, floor: 0, issuedAt: Date.now() });

      expect(expectProblem(await changesOf(user, `?since=${ahead}`), 410).type).toBe(
        '/problems/sync-expired',
      );
    });

    it('takes a limit from 1 to 500 and refuses others with a 422 naming it', async () => {
      const user = await world.signUp('Limits');
      await create(user, 'a');
      await create(user, 'b');

      const one = await changesOf(user, '?limit=1');
      expect(one.body.changes).toHaveLength(1);
      expect(one.body.more).toBe(true);
      expect((await changesOf(user, '?limit=500')).status).toBe(200);
      for (const limit of ['0', '501', '1000', '-1', '1.5', 'abc', '']) {
        const problem = expectProblem(await changesOf(user, `?limit=${limit}`), 422);
        expect(problem.errors?.[0]?.field).toBe('query.limit');
      }
    });

    it("answers 404 for another user's path and 401 without a token", async () => {
      const ada = await world.signUp('Ada');
      const bob = await world.signUp('Bob');

      const foreign = await api.request('GET', `/api/${ada.id}/tasks/changes`, {
        token: bob.token,
      });
      expect(expectProblem(foreign, 404).type).toBe('/problems/not-found');
      const anonymous = await api.request('GET', `/api/${ada.id}/tasks/changes`);
      expect(expectProblem(anonymous, 401).type).toBe('/problems/unauthorized');
    });
  });
}
