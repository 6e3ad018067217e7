import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface TaskJson {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
}

/** Enough rounds that a lost update shows up reliably where writes are not guarded. */
const ROUNDS = 8;

/** Requests that overlap, as a double-click or two open tabs send them: no change is lost. */
export function concurrentWritesSuite(kind: WorldKind): void {
  describe(`concurrent writes on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;
    let tasks: string;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_concurrency' });
      api = world.api;
      user = await world.signUp('Racer');
      tasks = `/api/${user.id}/tasks`;
    });

    afterAll(async () => {
      await world?.close();
    });

    async function create(json: Record<string, unknown>): Promise<TaskJson> {
      const res = await api.request<TaskJson>('POST', tasks, { token: user.token, json });
      expect(res.status).toBe(201);
      return res.body;
    }

    async function read(id: string): Promise<TaskJson> {
      return (await api.request<TaskJson>('GET', `${tasks}/${id}`, { token: user.token })).body;
    }

    it('ten toggles at once end where ten toggles in a row end, and answer five true, five false', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const task = await create({ title: `toggle ${round}` });
        const answers = await Promise.all(
          Array.from({ length: 10 }, () =>
            api.request<TaskJson>('PATCH', `${tasks}/${task.id}/complete`, { token: user.token }),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
        const done = answers.filter((a) => a.body.completed).length;
        expect(done).toBe(5);
        expect((await read(task.id)).completed).toBe(false);
      }
    });

    it('ten completions of a recurring task at once create exactly one next occurrence', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const title = `recurring ${round}`;
        const task = await create({ title, dueAt: '2027-01-01T09:00:00Z', recurrence: 'daily' });
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            i % 2 === 0
              ? api.request('PATCH', `${tasks}/${task.id}/complete`, { token: user.token })
              : api.request('PATCH', `${tasks}/${task.id}`, {
                  token: user.token,
                  json: { completed: true },
                }),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
        const listed = await api.request<{ items: TaskJson[] }>(
          'GET',
          `${tasks}?limit=100&q=${encodeURIComponent(title)}`,
          { token: user.token },
        );
        expect(listed.body.items).toHaveLength(2);
      }
    });

    it('two PATCHes of different fields at once both survive', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const task = await create({ title: 'before', description: 'before' });
        const url = `${tasks}/${task.id}`;
        const [title, description] = await Promise.all([
          api.request('PATCH', url, { token: user.token, json: { title: `title ${round}` } }),
          api.request('PATCH', url, { token: user.token, json: { description: `desc ${round}` } }),
        ]);
        expect([title.status, description.status]).toEqual([200, 200]);
        expect(await read(task.id)).toMatchObject({
          title: `title ${round}`,
          description: `desc ${round}`,
        });
      }
    });

    it('a PATCH racing a DELETE never brings the task back', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const task = await create({ title: 'doomed' });
        const url = `${tasks}/${task.id}`;
        const [patched, deleted] = await Promise.all([
          api.request('PATCH', url, { token: user.token, json: { title: 'still here?' } }),
          api.request('DELETE', url, { token: user.token }),
        ]);
        expect(deleted.status).toBe(204);
        expect([200, 404]).toContain(patched.status);
        const after = await api.request('GET', url, { token: user.token });
        expect(after.status).toBe(404);
      }
    });

    it('twenty creates at once all land and are all listed', async () => {
      const titles = Array.from({ length: 20 }, (_, i) => `parallel ${i}`);
      const created = await Promise.all(titles.map((title) => create({ title })));
      expect(new Set(created.map((t) => t.id)).size).toBe(20);
      const list = await api.request<{ items: TaskJson[] }>('GET', `${tasks}?limit=100`, {
        token: user.token,
      });
      const listed = list.body.items.map((t) => t.title);
      expect(listed).toEqual(expect.arrayContaining(titles));
    });
  });
}
