import { describe, expect, it } from '@jest/globals';
import { UnauthorizedError } from '../../../src/client/api-errors.js';
import { createTasksClient, type TaskChange } from '../../../src/client/tasks-client.js';
import { aTaskView } from '../../support/task-builder.js';
import { unsignedToken } from '../../support/unsigned-token.js';

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const tokenFor = (n: number) =>
  unsignedToken({ sub: 'alice', iat: Math.floor(Date.now() / 1000), exp: inAnHour(), n });

const stream = (text: string) =>
  new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });

/** A client whose fetch answers the event stream from `answers`, in turn; the last repeats. */
function watching(answers: ((headers: Headers) => Response | Promise<Response>)[]) {
  const sent: Headers[] = [];
  let tokens = 0;
  const client = createTasksClient({
    baseUrl: 'https://api.test',
    getToken: async () => tokenFor((tokens += 1)),
    fetch: async (_url, init) => {
      const headers = new Headers(init?.headers);
      sent.push(headers);
      const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
      if (!answer) throw new Error('no answer');
      return answer(headers);
    },
  });
  return { client, sent, tokensFetched: () => tokens };
}

const task = aTaskView().withId('task-1').ownedBy('alice').titled('Buy milk').build();

describe('tasks.watch', () => {
  it('resumes with Last-Event-ID after the stream ends, with a fresh token after reauth', async () => {
    const stop = new AbortController();
    const seen: TaskChange[] = [];
    const { client, sent, tokensFetched } = watching([
      () =>
        stream(
          `retry: 10\nevent: ready\nid: t0\ndata: {}\n\nevent: task\nid: t1\ndata: ${JSON.stringify(task)}\n\n`,
        ),
      () => stream('event: deleted\nid: t2\ndata: {"id":"task-1"}\n\nevent: reauth\ndata: {}\n\n'),
      () => {
        stop.abort();
        return stream('');
      },
    ]);

    await client.watch((change) => seen.push(change), { signal: stop.signal });

    expect(seen).toEqual([{ task }, { deleted: 'task-1' }]);
    expect(sent.map((headers) => headers.get('Last-Event-ID'))).toEqual([null, 't1', 't2']);
    expect(sent[0]?.get('Accept')).toBe('text/event-stream');
    // reauth: the third connection carries a new token.
    expect(tokensFetched()).toBe(2);
    expect(sent[2]?.get('Authorization')).not.toBe(sent[1]?.get('Authorization'));
  });

  it('backs off and tries again after a failure; asks for a resync when told', async () => {
    const stop = new AbortController();
    let resyncs = 0;
    const { client, sent } = watching([
      () => Promise.reject(new TypeError('fetch failed')),
      () =>
        new Response('{}', {
          status: 503,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
      () => stream('event: resync\ndata: {}\n\n'),
      () => {
        stop.abort();
        return stream('');
      },
    ]);

    await client.watch(() => undefined, {
      since: 'old',
      signal: stop.signal,
      onResync: () => void (resyncs += 1),
    });

    expect(sent).toHaveLength(4);
    expect(resyncs).toBe(1);
    // After a resync, it goes on from now: no Last-Event-ID.
    expect(sent.map((headers) => headers.get('Last-Event-ID'))).toEqual([
      'old',
      'old',
      'old',
      null,
    ]);
  }, 15_000);

  it('rejects once nobody is signed in', async () => {
    const client = createTasksClient({ baseUrl: 'https://api.test', getToken: async () => null });
    await expect(client.watch(() => undefined)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
