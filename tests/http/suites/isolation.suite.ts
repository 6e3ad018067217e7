import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface TaskJson {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  updatedAt: string;
}

/** Mallory holds a valid token of her own and tries every route on Victor's data. */
export function isolationSuite(kind: WorldKind): void {
  describe(`one user never reaches another user’s tasks, on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let victor: SignedInUser;
    let mallory: SignedInUser;
    let victimTask: TaskJson;
    let victimUrl: string;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_isolation' });
      api = world.api;
      victor = await world.signUp('Victor');
      mallory = await world.signUp('Mallory');
    });

    beforeEach(async () => {
      const res = await api.request<TaskJson>('POST', `/api/${victor.id}/tasks`, {
        token: victor.token,
        json: { title: 'Private plans', description: 'Only for Victor' },
      });
      victimTask = res.body;
      victimUrl = `/api/${victor.id}/tasks/${victimTask.id}`;
    });

    afterAll(async () => {
      await world?.close();
    });

    async function expectVictimUnchanged(): Promise<void> {
      const res = await api.request<TaskJson>('GET', victimUrl, { token: victor.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(victimTask);
    }

    async function expectNotFound(method: string, path: string, json?: unknown): Promise<unknown> {
      const res = await api.request(method, path, { token: mallory.token, json });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      return res.body;
    }

    // Every route, addressed both through Victor's path and through Mallory's own path.
    type Target = 'his list' | 'his path' | 'her path';
    const replacement = { title: 'x', description: null, completed: true };
    const attacks: [string, Target, string, unknown][] = [
      ['GET', 'his list', '', null],
      ['POST', 'his list', '', { title: 'planted' }],
      ['GET', 'his path', '', null],
      ['GET', 'her path', '', null],
      ['PUT', 'his path', '', replacement],
      ['PUT', 'her path', '', replacement],
      ['PATCH', 'his path', '', { title: 'pwned' }],
      ['PATCH', 'her path', '', { completed: true }],
      ['PATCH', 'his path', '/complete', null],
      ['PATCH', 'her path', '/complete', null],
      ['DELETE', 'his path', '', null],
      ['DELETE', 'her path', '', null],
    ];

    function urlOf(target: Target): string {
      if (target === 'his list') return `/api/${victor.id}/tasks`;
      if (target === 'his path') return victimUrl;
      return `/api/${mallory.id}/tasks/${victimTask.id}`;
    }

    it.each(attacks)(
      '%s on %s%s is 404 and leaves Victor’s data unchanged',
      async (method, target, suffix, json) => {
        await expectNotFound(method, urlOf(target) + suffix, json ?? undefined);
        await expectVictimUnchanged();
        const list = await api.request<{ items: TaskJson[] }>(
          'GET',
          `/api/${victor.id}/tasks?limit=100`,
          { token: victor.token },
        );
        expect(list.body.items.some((t) => t.title === 'planted')).toBe(false);
        const own = await api.request<{ items: TaskJson[] }>('GET', `/api/${mallory.id}/tasks`, {
          token: mallory.token,
        });
        expect(own.body.items).toEqual([]);
      },
    );

    it('answers a foreign task exactly like a missing one', async () => {
      const foreign = await expectNotFound('GET', victimUrl);
      const missing = await expectNotFound(
        'GET',
        `/api/${mallory.id}/tasks/00000000-0000-4000-8000-000000000000`,
      );
      const malformed = await expectNotFound('GET', `/api/${mallory.id}/tasks/not-a-uuid`);
      expect(foreign).toEqual(missing);
      expect(malformed).toEqual(missing);
    });

    it.each([
      ['POST an invalid body to his list', 'POST', 'list', { title: '' }, {}],
      ['GET his list with a bad query', 'GET', 'list?limit=0', undefined, {}],
      ['PATCH his task with an invalid body', 'PATCH', 'task', { title: 42 }, {}],
      ['POST plain text to his list', 'POST', 'list', undefined, { body: 'hello' }],
      ['POST broken JSON to his list', 'POST', 'list', undefined, { json: '{' }],
    ])(
      '%s is 404, before the request itself is judged',
      async (_name, method, target, json, raw) => {
        const path = target.startsWith('list')
          ? `/api/${victor.id}/tasks${target.slice(4)}`
          : victimUrl;
        const headers: Record<string, string> = { Authorization: `Bearer ${mallory.token}` };
        let body: string | undefined;
        if (json !== undefined) body = JSON.stringify(json);
        if ('body' in raw) body = raw.body;
        if ('json' in raw) body = raw.json;
        if (body !== undefined) {
          headers['Content-Type'] = 'body' in raw ? 'text/plain' : 'application/json';
        }
        const res = await fetch(`${api.baseUrl}${path}`, { method, headers, body });
        expect(res.status).toBe(404);
      },
    );

    it('answers a malformed task id with 404 whatever the body', async () => {
      const res = await api.request('PATCH', `/api/${mallory.id}/tasks/not-a-uuid`, {
        token: mallory.token,
        json: { title: 42 },
      });
      expect(res.status).toBe(404);
    });
  });
}
