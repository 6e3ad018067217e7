import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import { rawRequest } from '../../support/raw-http.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface TaskJson {
  id: string;
  title: string;
  completed: boolean;
  version: number;
}

/** ETag, If-Match and If-None-Match (RFC 9110 §8.8.3, §13) on the task routes. */
export function conditionalRequestsSuite(kind: WorldKind): void {
  describe(`conditional requests on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;
    let tasks: string;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_conditional' });
      api = world.api;
      user = await world.signUp('Editor');
      tasks = `/api/${user.id}/tasks`;
    });

    afterAll(async () => {
      await world?.close();
    });

    async function aTask(): Promise<{ url: string; etag: string; task: TaskJson }> {
      const res = await api.request<TaskJson>('POST', tasks, {
        token: user.token,
        json: { title: 'Shared' },
      });
      return {
        url: `${tasks}/${res.body.id}`,
        etag: res.headers.get('etag') ?? '',
        task: res.body,
      };
    }

    const send = (method: string, url: string, headers: Record<string, string>, json?: unknown) =>
      api.request<TaskJson>(method, url, { token: user.token, headers, json });

    it('puts a strong ETag on every answer that carries one task, new with every change', async () => {
      const created = await aTask();
      expect(created.etag).toMatch(/^"[^"]+"$/);
      const read = await send('GET', created.url, {});
      expect(read.headers.get('etag')).toBe(created.etag);
      const tags = [created.etag];
      for (const [method, suffix, json] of [
        ['PUT', '', { title: 'Replaced', description: null, completed: false }],
        ['PATCH', '', { title: 'Patched' }],
        ['PATCH', '/complete', undefined],
      ] as const) {
        const res = await send(method, created.url + suffix, {}, json);
        expect(res.status).toBe(200);
        tags.push(res.headers.get('etag') ?? '');
      }
      expect(new Set(tags).size).toBe(4);
      expect((await send('GET', created.url, {})).body.version).toBe(4);
    });

    it('applies a write whose If-Match names the current ETag', async () => {
      const { url, etag } = await aTask();
      const res = await send('PATCH', url, { 'If-Match': etag }, { title: 'Mine' });
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Mine');
    });

    it.each([
      ['PUT', '', { title: 'Lost?', description: null, completed: true }],
      ['PATCH', '', { title: 'Lost?' }],
      ['PATCH', '/complete', undefined],
      ['DELETE', '', undefined],
    ] as const)(
      '412 for %s%s with a stale ETag, and the task is unchanged',
      async (method, suffix, json) => {
        const { url, etag } = await aTask();
        await send('PATCH', url, {}, { title: 'Changed elsewhere' });
        const res = await send(method, url + suffix, { 'If-Match': etag }, json);
        expect(res.status).toBe(412);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect((res.body as unknown as { detail: string }).detail).toMatch(
          /changed.*read it again|GET it again/i,
        );
        const after = await send('GET', url, {});
        expect(after.body).toMatchObject({
          title: 'Changed elsewhere',
          completed: false,
          version: 2,
        });
      },
    );

    it('matches any listed tag, and * matches any existing task', async () => {
      const { url, etag } = await aTask();
      const listed = await send(
        'PATCH',
        url,
        { 'If-Match': `"999", ${etag}` },
        { title: 'Listed' },
      );
      expect(listed.status).toBe(200);
      const star = await send('PATCH', url, { 'If-Match': '*' }, { title: 'Star' });
      expect(star.status).toBe(200);
      expect((await send('DELETE', url, { 'If-Match': '*' })).status).toBe(204);
      expect((await send('PATCH', url, { 'If-Match': '*' }, { title: 'Gone' })).status).toBe(404);
    });

    it('never matches a weak tag (strong comparison)', async () => {
      const { url, etag } = await aTask();
      const res = await send('PATCH', url, { 'If-Match': `W/${etag}` }, { title: 'Weak' });
      expect(res.status).toBe(412);
    });

    it('400 for an If-Match that is not a list of ETags', async () => {
      const { url } = await aTask();
      const res = await send('PATCH', url, { 'If-Match': 'version-1' }, { title: 'x' });
      expect(res.status).toBe(400);
      expect((res.body as unknown as { detail: string }).detail).toMatch(/If-Match/);
    });

    it('400 for an If-Match sent empty, and the task is left as it was', async () => {
      const { url, task } = await aTask();
      const res = await rawRequest(api.baseUrl, url, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${user.token}`,
          'Content-Type': 'application/json',
          'If-Match': '',
        },
        send: (req) => void req.end(JSON.stringify({ title: 'Unguarded' })),
      });
      expect(res.status).toBe(400);
      expect((JSON.parse(res.body) as { detail: string }).detail).toMatch(/If-Match/);
      expect((await send('GET', url, {})).body.title).toBe(task.title);
    });

    it('keeps a write unconditional without If-Match', async () => {
      const { url } = await aTask();
      await send('PATCH', url, {}, { title: 'First' });
      const res = await send('PATCH', url, {}, { title: 'Second' });
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Second');
    });

    it('answers 304 with the ETag and no body when If-None-Match names the current tag', async () => {
      const { url, etag } = await aTask();
      for (const header of [etag, `W/${etag}`, `"1234", ${etag}`, '*']) {
        const res = await send('GET', url, { 'If-None-Match': header });
        expect(res.status).toBe(304);
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.body).toBe('');
      }
      await send('PATCH', url, {}, { title: 'Changed' });
      const changed = await send('GET', url, { 'If-None-Match': etag });
      expect(changed.status).toBe(200);
      expect(changed.body.title).toBe('Changed');
    });

    it("answers another user's task 404 whatever the preconditions say", async () => {
      const { url, etag } = await aTask();
      const mallory = await world.signUp('Mallory');
      const foreign = url.replace(user.id, mallory.id);
      for (const [method, headers] of [
        ['GET', { 'If-None-Match': etag }],
        ['PATCH', { 'If-Match': etag }],
        ['DELETE', { 'If-Match': '*' }],
        ['PATCH', { 'If-Match': 'not a tag' }],
      ] as const) {
        const asMallory = await api.request(method, url, {
          token: mallory.token,
          headers,
          json: method === 'PATCH' ? { title: 'pwned' } : undefined,
        });
        expect(asMallory.status).toBe(404);
        const ownPath = await api.request(method, foreign, {
          token: mallory.token,
          headers,
          json: method === 'PATCH' ? { title: 'pwned' } : undefined,
        });
        expect(ownPath.status).toBe(404);
      }
      expect((await send('GET', url, {})).body.title).toBe('Shared');
    });
  });
}
