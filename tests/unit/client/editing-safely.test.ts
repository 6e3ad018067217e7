import { describe, expect, it, jest } from '@jest/globals';
import { ConflictError, NetworkError, TaskChangedError } from '../../../src/client/api-errors.js';
import { createTasksClient, type Task } from '../../../src/client/tasks-client.js';
import type { TokenSource } from '../../../src/client/token-cache.js';
import { aTaskView } from '../../support/task-builder.js';
import { unsignedToken } from '../../support/unsigned-token.js';

const NOW_S = Date.parse('2026-01-01T00:00:00.000Z') / 1000;
const ALICE = unsignedToken({ sub: 'alice', iat: NOW_S, exp: NOW_S + 900 });
const ALICE_AGAIN = unsignedToken({ sub: 'alice', iat: NOW_S + 1, exp: NOW_S + 901 });

const TASK: Task = aTaskView()
  .withId('task-1')
  .ownedBy('alice')
  .titled('Buy milk')
  .atVersion(3)
  .build();

interface Sent {
  readonly method: string;
  readonly headers: Record<string, string>;
}

function aClient(answers: ((sent: Sent) => Response | Promise<Response>)[]) {
  const sent: Sent[] = [];
  const getToken = jest
    .fn<TokenSource>()
    .mockResolvedValueOnce(ALICE)
    .mockResolvedValue(ALICE_AGAIN);
  const client = createTasksClient({
    baseUrl: 'https://api.test',
    getToken,
    now: () => NOW_S * 1000,
    fetch: async (_input, init) => {
      const request = {
        method: init?.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init?.headers)),
      };
      sent.push(request);
      const answer = answers[sent.length - 1] ?? answers[answers.length - 1];
      if (!answer) throw new Error('no answer');
      return answer(request);
    },
  });
  return { client, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number) =>
  json(status, { type: '/problems/x', title: 'x', status, detail: `Answered ${status}.` });

describe('editing safely with the typed client', () => {
  it.each([
    [
      'update',
      (c: ReturnType<typeof aClient>['client'], t: Task | string) => c.update(t, { title: 'x' }),
    ],
    [
      'replace',
      (c: ReturnType<typeof aClient>['client'], t: Task | string) =>
        c.replace(t, { title: 'x', description: null, completed: false }),
    ],
    [
      'toggleComplete',
      (c: ReturnType<typeof aClient>['client'], t: Task | string) => c.toggleComplete(t),
    ],
    ['remove', (c: ReturnType<typeof aClient>['client'], t: Task | string) => c.remove(t)],
  ])(
    '%s of a task as read sends If-Match with its version; of an id, none',
    async (_name, edit) => {
      const { client, sent } = aClient([() => json(200, TASK)]);
      await edit(client, TASK);
      await edit(client, TASK.id);
      expect(sent[0]?.headers['if-match']).toBe('"3"');
      expect(sent[1]?.headers['if-match']).toBeUndefined();
    },
  );

  it('turns a 412 into TaskChangedError and a 409 into ConflictError', async () => {
    const changed = aClient([() => problem(412)]);
    await expect(changed.client.update(TASK, { title: 'x' })).rejects.toBeInstanceOf(
      TaskChangedError,
    );
    const conflict = aClient([() => problem(409)]);
    await expect(conflict.client.create({ title: 'x' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('sends a fresh Idempotency-Key with every create', async () => {
    const { client, sent } = aClient([() => json(201, TASK)]);
    await client.create({ title: 'one' });
    await client.create({ title: 'two' });
    const keys = sent.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('reuses the key when it retries a create itself: after a 401, and when no answer came', async () => {
    const { client, sent } = aClient([
      () => {
        throw new TypeError('fetch failed');
      },
      () => problem(401),
      () => json(201, TASK),
    ]);
    await expect(client.create({ title: 'once' })).resolves.toEqual(TASK);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.headers['idempotency-key'])).size).toBe(1);
  });

  it('does not retry an edit when no answer came: it cannot know what happened', async () => {
    const { client, sent } = aClient([
      () => {
        throw new TypeError('fetch failed');
      },
    ]);
    await expect(client.update(TASK.id, { title: 'x' })).rejects.toBeInstanceOf(NetworkError);
    expect(sent).toHaveLength(1);
  });
});
