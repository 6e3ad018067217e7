import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import { aTaskView } from '../../support/task-builder.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface TaskJson {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface PageJson {
  items: TaskJson[];
  nextCursor: string | null;
}

/** A user's whole journey through the task API, the same on every world. */
export function taskFlowSuite(kind: WorldKind): void {
  describe(`the task flow on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let ada: SignedInUser;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_flow' });
      api = world.api;
      ada = await world.signUp('Ada');
    });

    afterAll(async () => {
      await world?.close();
    });

    it('answers GET /api/me from the token', async () => {
      const res = await api.request('GET', '/api/me', { token: ada.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: ada.id, email: ada.email, name: 'Ada' });
    });

    it('creates, reads, replaces, patches, toggles and deletes a task', async () => {
      const base = `/api/${ada.id}/tasks`;
      const created = await api.request<TaskJson>('POST', base, {
        token: ada.token,
        json: { title: '  Write the report  ', description: 'Quarterly numbers' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual(
        aTaskView()
          .ownedBy(ada.id)
          .titled('Write the report')
          .describedAs('Quarterly numbers')
          .showing({
            id: expect.stringMatching(/^[0-9a-f-]{36}$/),
            createdAt: expect.any(String),
            updatedAt: created.body.createdAt,
          })
          .build(),
      );
      const url = `${base}/${created.body.id}`;
      expect(created.headers.get('location')).toBe(url);

      const read = await api.request<TaskJson>('GET', url, { token: ada.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const replaced = await api.request<TaskJson>('PUT', url, {
        token: ada.token,
        json: { title: 'Write the annual report', description: null, completed: true },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({
        title: 'Write the annual report',
        description: null,
        completed: true,
      });

      const patched = await api.request<TaskJson>('PATCH', url, {
        token: ada.token,
        json: { description: 'Due Friday' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        title: 'Write the annual report',
        description: 'Due Friday',
        completed: true,
      });

      const toggled = await api.request<TaskJson>('PATCH', `${url}/complete`, { token: ada.token });
      expect(toggled.status).toBe(200);
      expect(toggled.body.completed).toBe(false);
      const toggledBack = await api.request<TaskJson>('PATCH', `${url}/complete`, {
        token: ada.token,
      });
      expect(toggledBack.body.completed).toBe(true);

      const deleted = await api.request('DELETE', url, { token: ada.token });
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBe('');
      const gone = await api.request('GET', url, { token: ada.token });
      expect(gone.status).toBe(404);
    });

    it('lists with filters, sorting and a cursor that walks every task exactly once', async () => {
      const grace = await world.signUp('Grace');
      const base = `/api/${grace.id}/tasks`;
      const titles = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
      for (const title of titles) {
        await api.request('POST', base, { token: grace.token, json: { title } });
      }
      const all = await api.request<PageJson>('GET', base, { token: grace.token });
      // Default order: newest first; tasks created in the same millisecond fall back to id order.
      const newestFirst = [...all.body.items].sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
      );
      expect(all.body.items).toEqual(newestFirst);
      expect(all.body.items.map((t) => t.title).sort()).toEqual([...titles].sort());
      expect(all.body.nextCursor).toBeNull();

      const first = all.body.items.find((t) => t.title === 'alpha');
      await api.request('PATCH', `${base}/${first?.id}/complete`, { token: grace.token });
      const done = await api.request<PageJson>('GET', `${base}?status=completed`, {
        token: grace.token,
      });
      expect(done.body.items.map((t) => t.title)).toEqual(['alpha']);
      const pending = await api.request<PageJson>('GET', `${base}?status=pending`, {
        token: grace.token,
      });
      expect(pending.body.items).toHaveLength(4);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?sort=title&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { body: PageJson } = await api.request<PageJson>('GET', base + query, {
          token: grace.token,
        });
        seen.push(...page.body.items.map((t) => t.title));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    });
  });
}
