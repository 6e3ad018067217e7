import { describe, expect, it, jest } from '@jest/globals';
import {
  ApiError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  SyncExpiredError,
  UnauthorizedError,
  ValidationError,
  type ProblemDetails,
} from '../../../src/client/api-errors.js';
import {
  createTasksClient,
  type Task,
  type TasksClient,
  type TasksClientOptions,
} from '../../../src/client/tasks-client.js';
import type { TokenSource } from '../../../src/client/token-cache.js';
import { unsignedToken } from '../../support/unsigned-token.js';
import { aGate } from '../../support/gate.js';
import { aTaskView } from '../../support/task-builder.js';

const BASE_URL = 'https://api.test';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const T0_S = T0 / 1000;
const MINUTE = 60_000;

/** An unsigned JWT for `sub`, issued at T0 + `issuedAfterMs` and living 15 minutes. */
function aToken(sub: string, issuedAfterMs = 0): string {
  const iat = T0_S + issuedAfterMs / 1000;
  return unsignedToken({ sub, iat, exp: iat + 15 * 60 });
}

const ALICE = aToken('alice');
const ALICE_AGAIN = aToken('alice', 1000);

/** A task as the API answers it. */
function aTask(overrides: Partial<Task> = {}): Task {
  return aTaskView()
    .withId('task-1')
    .ownedBy('alice')
    .titled('Buy milk')
    .showing(overrides)
    .build();
}

/** What the fake fetch saw of one request. */
interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly credentials: RequestInit['credentials'];
}

type Answer = (request: SentRequest) => Response | Promise<Response>;

/** A fetch that records every request and answers with `answer`. */
function aFakeFetch(answer: Answer) {
  const requests: SentRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request: SentRequest = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers)),
      body: init?.body == null ? undefined : String(init.body),
      credentials: init?.credentials,
    };
    requests.push(request);
    return answer(request);
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const noContent = (): Response => new Response(null, { status: 204 });

function aProblem(status: number, detail: string, extra: Partial<ProblemDetails> = {}) {
  return { type: `/problems/${status}`, title: `Status ${status}`, status, detail, ...extra };
}

const problem = (status: number, detail: string, extra: Partial<ProblemDetails> = {}): Response =>
  new Response(JSON.stringify(aProblem(status, detail, extra)), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

const bearer = (token: string) => `Bearer ${token}`;

/** Lets every pending callback run, so a condition reached by other promises can be checked. */
async function settle(until: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !until(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setImmediate(resolve));
}

function aClient(
  answer: Answer,
  getToken: TokenSource = jest.fn<TokenSource>().mockResolvedValue(ALICE),
  options: Partial<TasksClientOptions> = {},
) {
  const fake = aFakeFetch(answer);
  const client: TasksClient = createTasksClient({
    baseUrl: BASE_URL,
    getToken,
    fetch: fake.fetch,
    now: () => T0,
    ...options,
  });
  return { client, requests: fake.requests, getToken };
}

describe('createTasksClient', () => {
  describe('requests', () => {
    const replacement = { title: 'Buy oat milk', description: 'Two cartons', completed: true };
    const cases: [
      string,
      (client: TasksClient) => Promise<unknown>,
      string,
      string,
      unknown,
      () => Response,
      unknown,
    ][] = [
      [
        'me',
        (c) => c.me(),
        'GET',
        '/api/me',
        undefined,
        () => json(200, { id: 'alice', email: null, name: null }),
        { id: 'alice', email: null, name: null },
      ],
      [
        'list',
        (c) => c.list(),
        'GET',
        '/api/alice/tasks',
        undefined,
        () => json(200, { items: [aTask()], nextCursor: null }),
        { items: [aTask()], nextCursor: null },
      ],
      [
        'create',
        (c) => c.create({ title: 'Buy milk' }),
        'POST',
        '/api/alice/tasks',
        { title: 'Buy milk' },
        () => json(201, aTask()),
        aTask(),
      ],
      [
        'get',
        (c) => c.get('task-1'),
        'GET',
        '/api/alice/tasks/task-1',
        undefined,
        () => json(200, aTask()),
        aTask(),
      ],
      [
        'replace',
        (c) => c.replace('task-1', replacement),
        'PUT',
        '/api/alice/tasks/task-1',
        replacement,
        () => json(200, aTask(replacement)),
        aTask(replacement),
      ],
      [
        'update',
        (c) => c.update('task-1', { completed: true }),
        'PATCH',
        '/api/alice/tasks/task-1',
        { completed: true },
        () => json(200, aTask({ completed: true })),
        aTask({ completed: true }),
      ],
      [
        'toggleComplete',
        (c) => c.toggleComplete('task-1'),
        'PATCH',
        '/api/alice/tasks/task-1/complete',
        undefined,
        () => json(200, aTask({ completed: true })),
        aTask({ completed: true }),
      ],
      [
        'remove',
        (c) => c.remove('task-1'),
        'DELETE',
        '/api/alice/tasks/task-1',
        undefined,
        () => noContent(),
        undefined,
      ],
    ];

    it.each(cases)(
      '%s sends %s %s with the bearer token',
      async (_name, invoke, method, path, body, response, result) => {
        const { client, requests } = aClient(response);

        await expect(invoke(client)).resolves.toEqual(result);

        expect(requests).toHaveLength(1);
        expect(requests[0]).toMatchObject({ method, url: BASE_URL + path });
        expect(requests[0]?.headers.authorization).toBe(bearer(ALICE));
      },
    );

    it.each(cases)(
      '%s sends a JSON body and Content-Type only when it has a body',
      async (_name, invoke, _method, _path, body, response) => {
        const { client, requests } = aClient(response);

        await invoke(client);

        const sent = requests[0];
        expect(sent?.body === undefined ? undefined : JSON.parse(sent.body)).toEqual(body);
        expect(sent?.headers['content-type']).toBe(
          body === undefined ? undefined : 'application/json',
        );
      },
    );

    it('remove resolves undefined on 204', async () => {
      const { client } = aClient(() => noContent());

      await expect(client.remove('task-1')).resolves.toBeUndefined();
    });

    it("URL-encodes the token's sub and the task id in the path", async () => {
      const { client, requests } = aClient(
        () => json(200, aTask()),
        jest.fn<TokenSource>().mockResolvedValue(aToken('user/ä b?')),
      );

      await client.get('a/b c#d');

      expect(requests[0]?.url).toBe(`${BASE_URL}/api/user%2F%C3%A4%20b%3F/tasks/a%2Fb%20c%23d`);
    });

    it('trims a trailing slash from baseUrl', async () => {
      const { client, requests } = aClient(() => json(200, aTask()), undefined, {
        baseUrl: `${BASE_URL}/`,
      });

      await client.get('task-1');

      expect(requests[0]?.url).toBe(`${BASE_URL}/api/alice/tasks/task-1`);
    });
  });

  describe('list', () => {
    const emptyPage = () => json(200, { items: [], nextCursor: null });

    it('builds the query string from every given parameter', async () => {
      const { client, requests } = aClient(emptyPage);

      await client.list({
        status: 'pending',
        sort: 'title',
        order: 'asc',
        limit: 10,
        cursor: 'c1',
      });

      const url = new URL(requests[0]?.url ?? '');
      expect(url.pathname).toBe('/api/alice/tasks');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        status: 'pending',
        sort: 'title',
        order: 'asc',
        limit: '10',
        cursor: 'c1',
      });
    });

    it('omits parameters that are undefined', async () => {
      const { client, requests } = aClient(emptyPage);

      await client.list({ status: 'completed', limit: undefined, cursor: undefined });

      expect(requests[0]?.url).toBe(`${BASE_URL}/api/alice/tasks?status=completed`);
    });

    it('repeats a parameter for each item of an array, in the order given', async () => {
      const { client, requests } = aClient(emptyPage);

      await client.list({ priority: ['high', 'low'], tag: ['work', 'home'] });

      expect(requests[0]?.url).toBe(
        `${BASE_URL}/api/alice/tasks?priority=high&priority=low&tag=work&tag=home`,
      );
      const params = new URL(requests[0]?.url ?? '').searchParams;
      expect(params.getAll('tag')).toEqual(['work', 'home']);
    });

    it('sends no parameter for an empty array', async () => {
      const { client, requests } = aClient(emptyPage);

      await client.list({ tag: [], priority: [], status: 'pending' });

      expect(requests[0]?.url).toBe(`${BASE_URL}/api/alice/tasks?status=pending`);
    });

    it('writes booleans as true and false', async () => {
      const { client, requests } = aClient(emptyPage);

      await client.list({ overdue: true });
      await client.list({ overdue: false });

      expect(requests.map((r) => new URL(r.url).search)).toEqual([
        '?overdue=true',
        '?overdue=false',
      ]);
    });

    it('encodes search text and instants so they arrive unchanged', async () => {
      const { client, requests } = aClient(emptyPage);
      const q = 'milk & "eggs" 50%+ #日本 a=b?';

      await client.list({
        q,
        dueAfter: '2026-03-01T09:00:00+01:00',
        dueBefore: '2026-03-08T00:00:00Z',
        sort: 'dueAt',
        tag: ['日本', 'a-b_c'],
      });

      const url = new URL(requests[0]?.url ?? '');
      expect(url.searchParams.get('q')).toBe(q);
      // A `+` in an offset must not turn into a space on the way.
      expect(url.searchParams.get('dueAfter')).toBe('2026-03-01T09:00:00+01:00');
      expect(url.search).toContain('dueAfter=2026-03-01T09%3A00%3A00%2B01%3A00');
      expect(url.searchParams.get('dueBefore')).toBe('2026-03-08T00:00:00Z');
      expect(url.searchParams.get('sort')).toBe('dueAt');
      expect(url.searchParams.getAll('tag')).toEqual(['日本', 'a-b_c']);
    });

    it('keeps the filters on every page that iterate asks for', async () => {
      const { client, requests } = aClient((request) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return json(200, {
          items: [aTask({ id: cursor ?? 'first' })],
          nextCursor: cursor ? null : 'c-2',
        });
      });

      const ids: string[] = [];
      for await (const task of client.iterate({ tag: ['work', 'home'], overdue: true })) {
        ids.push(task.id);
      }

      expect(ids).toEqual(['first', 'c-2']);
      expect(requests.map((r) => new URL(r.url).search)).toEqual([
        '?tag=work&tag=home&overdue=true',
        '?tag=work&tag=home&overdue=true&cursor=c-2',
      ]);
    });

    it('sends no query string for an empty query', async () => {
      const { client, requests } = aClient(emptyPage);

      await client.list({});

      expect(requests[0]?.url).toBe(`${BASE_URL}/api/alice/tasks`);
    });
  });

  describe('sync', () => {
    it('pages to the end from `since`, and returns each task once, at its latest change', async () => {
      const pages: Record<string, { changes: unknown[]; next: string; more: boolean }> = {
        s0: {
          changes: [{ task: aTask({ id: 't1' }) }, { task: aTask({ id: 't2' }) }],
          next: 's1',
          more: true,
        },
        s1: {
          changes: [{ deleted: 't3' }, { task: aTask({ id: 't1', title: 'Renamed' }) }],
          next: 's2',
          more: false,
        },
      };
      const { client, requests } = aClient((request) => {
        if (requests.length > 2) return problem(400, 'Too many page requests');
        return json(200, pages[new URL(request.url).searchParams.get('since') ?? '']);
      });

      const { changes, next } = await client.sync('s0');

      expect(next).toBe('s2');
      expect(changes).toEqual([
        { task: aTask({ id: 't2' }) },
        { deleted: 't3' },
        { task: aTask({ id: 't1', title: 'Renamed' }) },
      ]);
      expect(requests.map((r) => r.url)).toEqual([
        `${BASE_URL}/api/alice/tasks/changes?since=s0&limit=500`,
        `${BASE_URL}/api/alice/tasks/changes?since=s1&limit=500`,
      ]);
    });

    it('starts a full sync without a token', async () => {
      const { client, requests } = aClient(() =>
        json(200, { changes: [], next: 'n', more: false }),
      );

      await expect(client.sync()).resolves.toEqual({ changes: [], next: 'n' });

      expect(requests[0]?.url).toBe(`${BASE_URL}/api/alice/tasks/changes?limit=500`);
    });

    it('throws SyncExpiredError on 410: the caller syncs from scratch', async () => {
      const { client } = aClient(() =>
        problem(410, 'Sync from scratch: call again without since.'),
      );

      await expect(client.sync('old')).rejects.toBeInstanceOf(SyncExpiredError);
    });
  });

  describe('iterate', () => {
    it('follows nextCursor across pages and yields every task once', async () => {
      const pages: Record<string, { items: Task[]; nextCursor: string | null }> = {
        first: { items: [aTask({ id: 't1' }), aTask({ id: 't2' })], nextCursor: 'c-2' },
        'c-2': { items: [aTask({ id: 't3' })], nextCursor: 'c-3' },
        'c-3': { items: [aTask({ id: 't4' })], nextCursor: null },
      };
      const { client, requests } = aClient((request) => {
        // A client that loops on the same page fails here instead of hanging the suite.
        if (requests.length > 3) return problem(400, 'Too many page requests');
        const cursor = new URL(request.url).searchParams.get('cursor') ?? 'first';
        return json(200, pages[cursor]);
      });

      const ids: string[] = [];
      for await (const task of client.iterate({ status: 'pending', limit: 2 })) ids.push(task.id);

      expect(ids).toEqual(['t1', 't2', 't3', 't4']);
      const queries = requests.map((r) => Object.fromEntries(new URL(r.url).searchParams));
      expect(queries).toEqual([
        { status: 'pending', limit: '2' },
        { status: 'pending', limit: '2', cursor: 'c-2' },
        { status: 'pending', limit: '2', cursor: 'c-3' },
      ]);
    });

    it('stops after one request when the first page is the last', async () => {
      const { client, requests } = aClient(() => json(200, { items: [], nextCursor: null }));

      const tasks: Task[] = [];
      for await (const task of client.iterate()) tasks.push(task);

      expect(tasks).toEqual([]);
      expect(requests).toHaveLength(1);
    });
  });

  describe('on a 401', () => {
    it('refreshes the token once and retries once with the new token and its sub', async () => {
      const stale = aToken('alice');
      const fresh = aToken('alice-2', 1000);
      const getToken = jest
        .fn<TokenSource>()
        .mockResolvedValueOnce(stale)
        .mockResolvedValueOnce(fresh);
      const { client, requests } = aClient(
        (request) =>
          request.headers.authorization === bearer(stale)
            ? problem(401, 'Token expired')
            : json(201, aTask({ userId: 'alice-2' })),
        getToken,
      );

      await expect(client.create({ title: 'Buy milk' })).resolves.toEqual(
        aTask({ userId: 'alice-2' }),
      );

      expect(getToken).toHaveBeenCalledTimes(2);
      expect(requests).toHaveLength(2);
      expect(requests[1]).toMatchObject({
        method: 'POST',
        url: `${BASE_URL}/api/alice-2/tasks`,
        body: JSON.stringify({ title: 'Buy milk' }),
      });
      expect(requests[1]?.headers.authorization).toBe(bearer(fresh));
    });

    it('throws UnauthorizedError when the retry gets a 401 too', async () => {
      const getToken = jest
        .fn<TokenSource>()
        .mockResolvedValueOnce(ALICE)
        .mockResolvedValueOnce(ALICE_AGAIN);
      const { client, requests } = aClient(() => problem(401, 'Invalid token'), getToken);

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(attempt).rejects.toMatchObject({ status: 401, message: 'Invalid token' });
      expect(requests).toHaveLength(2);
      expect(getToken).toHaveBeenCalledTimes(2);
    });

    it('throws UnauthorizedError without a retry when no new token can be had', async () => {
      const getToken = jest.fn<TokenSource>().mockResolvedValueOnce(ALICE).mockResolvedValue(null);
      const { client, requests } = aClient(() => problem(401, 'Token expired'), getToken);

      await expect(client.get('task-1')).rejects.toBeInstanceOf(UnauthorizedError);
      expect(requests).toHaveLength(1);
    });

    it('makes concurrent calls that all get a 401 share one token refresh', async () => {
      const stale = ALICE;
      const fresh = ALICE_AGAIN;
      const refreshed = aGate<string | null>();
      const getToken = jest
        .fn<TokenSource>()
        .mockResolvedValueOnce(stale)
        .mockReturnValue(refreshed.promise);
      const { client, requests } = aClient(
        (request) =>
          request.headers.authorization === bearer(stale)
            ? problem(401, 'Token expired')
            : json(200, aTask()),
        getToken,
      );

      const calls = Promise.all([client.get('t1'), client.get('t2'), client.get('t3')]);
      // Hold the refresh until all three calls have had their 401.
      await settle(() => requests.length === 3 && getToken.mock.calls.length >= 2);
      refreshed.open(fresh);
      await calls;

      expect(getToken).toHaveBeenCalledTimes(2);
      expect(requests).toHaveLength(6);
      expect(requests.slice(3).map((r) => r.headers.authorization)).toEqual([
        bearer(fresh),
        bearer(fresh),
        bearer(fresh),
      ]);
    });
  });

  describe('without a token', () => {
    it.each<[string, (client: TasksClient) => Promise<unknown>]>([
      ['me', (c) => c.me()],
      ['list', (c) => c.list()],
      ['create', (c) => c.create({ title: 'Buy milk' })],
      ['remove', (c) => c.remove('task-1')],
    ])('%s throws UnauthorizedError without calling the API', async (_name, invoke) => {
      const { client, requests } = aClient(
        () => json(200, aTask()),
        jest.fn<TokenSource>().mockResolvedValue(null),
      );

      await expect(invoke(client)).rejects.toBeInstanceOf(UnauthorizedError);
      expect(requests).toHaveLength(0);
    });
  });

  describe('error answers', () => {
    it.each<[number, typeof ApiError]>([
      [400, ApiError],
      [404, NotFoundError],
      [413, ApiError],
      [422, ValidationError],
      [429, RateLimitedError],
      [500, ApiError],
      [503, ServiceUnavailableError],
    ])('a %i problem becomes %p with the detail as message', async (status, type) => {
      const { client } = aClient(() => problem(status, `Detail of ${status}`));

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toBeInstanceOf(type);
      // The name pins the exact class: a subclass would carry its own.
      await expect(attempt).rejects.toMatchObject({
        name: type.name,
        status,
        message: `Detail of ${status}`,
      });
    });

    it('keeps the whole problem on the error', async () => {
      const body = aProblem(404, 'No task task-1.', { requestId: 'req-7' });
      const { client } = aClient(() => json(404, body));

      await expect(client.get('task-1')).rejects.toHaveProperty('problem', body);
    });

    it('a 422 becomes ValidationError whose fields map each field to its detail', async () => {
      const { client } = aClient(() =>
        problem(422, 'Some fields are invalid.', {
          errors: [
            { field: 'title', detail: 'must not be empty' },
            { field: 'completed', detail: 'must be true or false' },
          ],
        }),
      );

      const attempt = client.update('task-1', { title: '' });

      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toHaveProperty('fields', {
        title: 'must not be empty',
        completed: 'must be true or false',
      });
    });

    it('a non-JSON error body becomes ApiError with a generic sentence naming the status', async () => {
      const { client } = aClient(
        () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
      );

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toMatchObject({
        name: 'ApiError',
        status: 502,
        message: 'The Task API answered 502.',
      });
      await expect(attempt).rejects.toBeInstanceOf(ApiError);
    });

    it('a JSON error body without detail gets the generic sentence too', async () => {
      const { client } = aClient(() => json(500, { error: 'boom' }));

      await expect(client.get('task-1')).rejects.toMatchObject({
        name: 'ApiError',
        status: 500,
        message: 'The Task API answered 500.',
      });
    });

    it('a fetch that throws becomes NetworkError carrying the cause', async () => {
      const failure = new TypeError('fetch failed');
      const { client } = aClient(() => Promise.reject(failure));

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toBeInstanceOf(NetworkError);
      await expect(attempt).rejects.toHaveProperty('cause', failure);
    });
  });

  describe('the default token source', () => {
    const TOKEN_PATH = '/api/auth/token';

    /** Answers the token endpoint with `tokenAnswer` and the API with a task. */
    function withDefaultSource(tokenAnswer: () => Response | Promise<Response>, authUrl?: string) {
      const fake = aFakeFetch((request) =>
        new URL(request.url).pathname === TOKEN_PATH ? tokenAnswer() : json(200, aTask()),
      );
      const client = createTasksClient({
        baseUrl: `${BASE_URL}/`,
        authUrl,
        fetch: fake.fetch,
        now: () => T0,
      });
      return { client, requests: fake.requests };
    }

    it('GETs {baseUrl}/api/auth/token with credentials and uses the token', async () => {
      const { client, requests } = withDefaultSource(() => json(200, { token: ALICE }));

      await expect(client.get('task-1')).resolves.toEqual(aTask());

      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({
        method: 'GET',
        url: `${BASE_URL}${TOKEN_PATH}`,
        credentials: 'include',
      });
      expect(requests[1]?.url).toBe(`${BASE_URL}/api/alice/tasks/task-1`);
      expect(requests[1]?.headers.authorization).toBe(bearer(ALICE));
    });

    it('uses authUrl, trimmed of its trailing slash, when given', async () => {
      const { client, requests } = withDefaultSource(
        () => json(200, { token: ALICE }),
        'https://auth.test/',
      );

      await client.get('task-1');

      expect(requests[0]).toMatchObject({
        url: `https://auth.test${TOKEN_PATH}`,
        credentials: 'include',
      });
      expect(requests[1]?.url).toBe(`${BASE_URL}/api/alice/tasks/task-1`);
    });

    it('treats a 401 as not signed in: UnauthorizedError, and the API is not called', async () => {
      const { client, requests } = withDefaultSource(() => problem(401, 'No session'));

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toBeInstanceOf(UnauthorizedError);
      // The client's own "not signed in" error, not the endpoint's 401 problem passed through.
      await expect(attempt).rejects.toMatchObject({ problem: { title: 'Not signed in' } });
      expect(requests).toHaveLength(1);
      expect(requests[0]?.url).toBe(`${BASE_URL}${TOKEN_PATH}`);
    });

    it('treats an answer without a token as not signed in', async () => {
      const { client, requests } = withDefaultSource(() => json(200, { token: 42 }));

      await expect(client.get('task-1')).rejects.toBeInstanceOf(UnauthorizedError);
      expect(requests).toHaveLength(1);
    });

    it('turns a problem from the token endpoint into its typed error', async () => {
      const { client, requests } = withDefaultSource(() => problem(503, 'Issuer unavailable'));

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(attempt).rejects.toMatchObject({ message: 'Issuer unavailable' });
      expect(requests).toHaveLength(1);
    });

    it('turns a non-JSON failure of the token endpoint into ApiError', async () => {
      const { client } = withDefaultSource(() => new Response('oops', { status: 500 }));

      await expect(client.get('task-1')).rejects.toMatchObject({
        name: 'ApiError',
        status: 500,
        message: 'The Task API answered 500.',
      });
    });

    it('turns a network failure of the token endpoint into NetworkError', async () => {
      const failure = new TypeError('fetch failed');
      const { client, requests } = withDefaultSource(() => Promise.reject(failure));

      const attempt = client.get('task-1');

      await expect(attempt).rejects.toBeInstanceOf(NetworkError);
      await expect(attempt).rejects.toHaveProperty('cause', failure);
      expect(requests).toHaveLength(1);
    });
  });

  describe('token lifetime', () => {
    it('reuses the token across calls', async () => {
      const { client, getToken } = aClient(() => json(200, aTask()));

      await client.get('t1');
      await client.get('t2');

      expect(getToken).toHaveBeenCalledTimes(1);
    });

    it('fetches a new token refreshMarginMs before the cached one expires', async () => {
      let now = T0;
      const later = aToken('alice', 14 * MINUTE);
      const getToken = jest.fn<TokenSource>().mockResolvedValueOnce(ALICE).mockResolvedValue(later);
      const { client, requests } = aClient(() => json(200, aTask()), getToken, {
        refreshMarginMs: MINUTE,
        now: () => now,
      });

      await client.get('t1');
      now = T0 + 14 * MINUTE - 1;
      await client.get('t2');
      now = T0 + 14 * MINUTE;
      await client.get('t3');

      expect(getToken).toHaveBeenCalledTimes(2);
      expect(requests.map((r) => r.headers.authorization)).toEqual([
        bearer(ALICE),
        bearer(ALICE),
        bearer(later),
      ]);
    });

    it('useToken seeds the cache, so no token is fetched', async () => {
      const seeded = aToken('bob');
      const { client, requests, getToken } = aClient(() => json(200, aTask()));

      client.useToken(seeded);
      await client.get('task-1');

      expect(getToken).not.toHaveBeenCalled();
      expect(requests[0]?.url).toBe(`${BASE_URL}/api/bob/tasks/task-1`);
      expect(requests[0]?.headers.authorization).toBe(bearer(seeded));
    });

    it('signOut forgets the token, so the next call fetches one', async () => {
      const next = aToken('bob');
      const getToken = jest.fn<TokenSource>().mockResolvedValueOnce(ALICE).mockResolvedValue(next);
      const { client, requests } = aClient(() => json(200, aTask()), getToken);

      await client.get('t1');
      client.signOut();
      await client.get('t2');

      expect(getToken).toHaveBeenCalledTimes(2);
      expect(requests[1]?.headers.authorization).toBe(bearer(next));
    });
  });
});
