import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

const LIMIT = 5;

/** MAX_TASKS_PER_USER: one user cannot fill the database (OWASP API4). */
export function taskLimitSuite(kind: WorldKind): void {
  describe(`the task limit per user on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_limit', maxTasksPerUser: LIMIT });
      api = world.api;
      user = await world.signUp('Hoarder');
    });

    afterAll(async () => {
      await world?.close();
    });

    it('lets concurrent creates reach the limit and no further, with a 409 naming it', async () => {
      const tasks = `/api/${user.id}/tasks`;
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          api.request<{ detail: string; limit: number }>('POST', tasks, {
            token: user.token,
            json: { title: `task ${i}` },
          }),
        ),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(LIMIT);
      const refused = answers.filter((a) => a.status !== 201);
      expect(refused.map((a) => a.status)).toEqual(Array(12 - LIMIT).fill(409));
      expect(refused[0]?.body.detail).toContain(`${LIMIT} tasks`);
      expect(refused[0]?.body.limit).toBe(LIMIT);

      const list = await api.request<{ items: { id: string }[] }>('GET', `${tasks}?limit=100`, {
        token: user.token,
      });
      expect(list.body.items).toHaveLength(LIMIT);
      const first = list.body.items[0]?.id;
      expect((await api.request('DELETE', `${tasks}/${first}`, { token: user.token })).status).toBe(
        204,
      );
      const again = await api.request('POST', tasks, {
        token: user.token,
        json: { title: 'room' },
      });
      expect(again.status).toBe(201);
    });

    it('counts each user on their own', async () => {
      const other = await world.signUp('Other');
      const res = await api.request('POST', `/api/${other.id}/tasks`, {
        token: other.token,
        json: { title: 'mine' },
      });
      expect(res.status).toBe(201);
    });
  });
}
