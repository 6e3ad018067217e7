import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import { rawRequest } from '../../support/raw-http.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface TaskJson {
  id: string;
  title: string;
}

/** Idempotency-Key on POST /api/{user_id}/tasks: a retried create never makes a second task. */
export function idempotencySuite(kind: WorldKind): void {
  describe(`safe retries of create on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;
    let tasks: string;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_idempotency' });
      api = world.api;
      user = await world.signUp('Retrier');
      tasks = `/api/${user.id}/tasks`;
    });

    afterAll(async () => {
      await world?.close();
    });

    const create = (key: string, json: unknown, who = user) =>
      api.request<TaskJson>('POST', `/api/${who.id}/tasks`, {
        token: who.token,
        json,
        headers: { 'Idempotency-Key': key },
      });

    async function titlesOf(who = user): Promise<string[]> {
      const res = await api.request<{ items: TaskJson[] }>(
        'GET',
        `/api/${who.id}/tasks?limit=100`,
        { token: who.token },
      );
      return res.body.items.map((t) => t.title);
    }

    it('answers a retry with the first answer, and creates one task', async () => {
      const key = randomUUID();
      const first = await create(key, { title: 'Once', description: 'only once' });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();

      const retry = await create(key, { description: 'only once', title: 'Once' });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
      expect((await titlesOf()).filter((t) => t === 'Once')).toHaveLength(1);
    });

    it('gives the first answer even after the task has changed', async () => {
      const key = randomUUID();
      const first = await create(key, { title: 'Before' });
      await api.request('PATCH', `${tasks}/${first.body.id}`, {
        token: user.token,
        json: { title: 'After' },
      });
      const retry = await create(key, { title: 'Before' });
      expect(retry.body).toEqual(first.body);
    });

    it('422 for the same key with another body, and nothing is created', async () => {
      const key = randomUUID();
      await create(key, { title: 'Original' });
      const res = await create(key, { title: 'Different' });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await titlesOf()).not.toContain('Different');
    });

    it('creates one task for ten concurrent requests with one key', async () => {
      const key = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => create(key, { title: 'Stampede' })),
      );
      const created = answers.filter(
        (a) => a.status === 201 && a.headers.get('idempotent-replayed') === null,
      );
      expect(created).toHaveLength(1);
      for (const answer of answers) {
        expect([201, 409]).toContain(answer.status);
        if (answer.status === 201) expect(answer.body.id).toBe(created[0]?.body.id);
      }
      expect((await titlesOf()).filter((t) => t === 'Stampede')).toHaveLength(1);
    });

    it('keeps keys per user: two users with one key get a task each', async () => {
      const other = await world.signUp('Other');
      const key = randomUUID();
      const mine = await create(key, { title: 'Mine' });
      const theirs = await create(key, { title: 'Theirs' }, other);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(await titlesOf(other)).toEqual(['Theirs']);
    });

    it('frees the key of a create that failed, so a corrected retry works', async () => {
      const key = randomUUID();
      expect((await create(key, { title: '' })).status).toBe(422);
      const res = await create(key, { title: 'Fixed' });
      expect(res.status).toBe(201);
    });

    it('takes a structured-field string, and refuses keys that are not 1–255 printable ASCII', async () => {
      const quoted = await create('"sf-\\"key\\""', { title: 'Quoted' });
      expect(quoted.status).toBe(201);
      const bare = await create('sf-"key"', { title: 'Quoted' });
      expect(bare.headers.get('idempotent-replayed')).toBe('true');
      for (const key of ['x'.repeat(256), 'caf\u00e9', '""']) {
        const res = await api.request('POST', tasks, {
          token: user.token,
          json: { title: 'Bad key' },
          headers: { 'Idempotency-Key': key },
        });
        expect(res.status).toBe(400);
      }
      expect(await titlesOf()).not.toContain('Bad key');
    });

    it('400 for an Idempotency-Key sent empty or twice, and nothing is created', async () => {
      for (const key of ['', ['twice-1', 'twice-2']]) {
        const res = await rawRequest(api.baseUrl, tasks, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${user.token}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          send: (req) => void req.end(JSON.stringify({ title: 'Odd key' })),
        });
        expect(res.status).toBe(400);
        expect((JSON.parse(res.body) as { detail: string }).detail).toMatch(/idempotency-key/i);
      }
      expect(await titlesOf()).not.toContain('Odd key');
    });
  });
}
