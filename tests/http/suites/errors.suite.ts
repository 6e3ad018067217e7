import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { TaskRepository } from '../../../src/domain/task/task-repository.port.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import type { Api, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; detail: string }[];
  requestId?: string;
}

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail'];
const SOME_ID = '00000000-0000-4000-8000-000000000000';

function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
): ProblemJson {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const body = res.body as ProblemJson;
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(body.detail.length).toBeGreaterThan(10);
  return body;
}

/** Every error row of the README's contract, the same on every world. */
export function errorsSuite(kind: WorldKind): void {
  describe(`every error of the HTTP contract, on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;
    let tasks: string;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_errors' });
      api = world.api;
      user = await world.signUp('Errors');
      tasks = `/api/${user.id}/tasks`;
    });

    afterAll(async () => {
      await world?.close();
    });

    describe('authentication', () => {
      it('401 with a Bearer challenge when no Authorization header is sent', async () => {
        const res = await api.request('GET', tasks);
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      });

      it('401 with a plain challenge for another scheme', async () => {
        const res = await api.request('GET', tasks, {
          headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        });
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      });

      it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written %s', async (scheme) => {
        const res = await api.request('GET', '/api/me', {
          headers: { Authorization: `${scheme} ${user.token}` },
        });
        expect(res.status).toBe(200);
      });

      it('401 invalid_token with a reason for a token that does not verify', async () => {
        const res = await api.request('GET', tasks, { token: 'not.a.jwt' });
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(
          /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
        );
      });

      it('400 invalid_request for "Bearer" without a token', async () => {
        const res = await api.request('GET', tasks, { headers: { Authorization: 'Bearer ' } });
        expectProblem(res, 400);
        expect(res.headers.get('www-authenticate')).toContain('error="invalid_request"');
      });

      it('400 invalid_request for two Authorization headers', async () => {
        const { status, headers } = await rawGet(api.baseUrl + tasks, [
          `Bearer ${user.token}`,
          `Bearer ${user.token}`,
        ]);
        expect(status).toBe(400);
        expect(headers['www-authenticate']).toContain('error="invalid_request"');
      });

      it('ignores a token in the query string', async () => {
        const res = await api.request('GET', `${tasks}?access_token=${user.token}`);
        expectProblem(res, 401);
      });

      it('401 comes before any other check on task routes', async () => {
        const res = await api.request('POST', tasks, { json: { id: 'x' } });
        expectProblem(res, 401);
      });
    });

    describe('request bodies', () => {
      it('400 for malformed JSON', async () => {
        const res = await api.request('POST', tasks, {
          token: user.token,
          body: '{"title": "unterminated',
          headers: { 'Content-Type': 'application/json' },
        });
        expect(expectProblem(res, 400).detail).toMatch(/JSON/);
      });

      it('415 for a body that is not JSON', async () => {
        const res = await api.request('POST', tasks, {
          token: user.token,
          body: 'title=Milk',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(expectProblem(res, 415).detail).toMatch(/application\/json/);
      });

      it('413 for a body over 64 KiB', async () => {
        const res = await api.request('POST', tasks, {
          token: user.token,
          json: { title: 'big', description: 'x'.repeat(65 * 1024) },
        });
        expectProblem(res, 413);
      });

      it('422 naming every invalid field', async () => {
        const res = await api.request('POST', tasks, {
          token: user.token,
          json: { title: 'x'.repeat(201), description: 'y'.repeat(1001) },
        });
        const body = expectProblem(res, 422);
        expect(body.errors).toEqual([
          { field: 'title', detail: 'must be at most 200 characters' },
          { field: 'description', detail: 'must be at most 1000 characters' },
        ]);
      });

      it.each([
        [{}, 'title', 'is required'],
        [{ title: '   ' }, 'title', 'must not be empty'],
        [{ title: 42 }, 'title', 'must be a string'],
        [{ title: 'a\u0000b' }, 'title', 'must not contain NUL characters'],
        [
          { title: 'ok', description: 'a\u0000b' },
          'description',
          'must not contain NUL characters',
        ],
        [{ title: 'ok', description: 7 }, 'description', 'must be a string or null'],
        [{ title: 'a\ud800b' }, 'title', 'must be valid Unicode text (it has a lone surrogate)'],
      ])('422 for %j', async (json, field, detail) => {
        const res = await api.request('POST', tasks, { token: user.token, json });
        expect(expectProblem(res, 422).errors).toEqual([{ field, detail }]);
      });

      it.each(['null', '"a title"', '1'])('422 for the JSON body %s', async (body) => {
        const res = await fetch(`${api.baseUrl}${tasks}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
          body,
        });
        expect(res.status).toBe(422);
        expect(((await res.json()) as ProblemJson).errors?.[0]?.field).toBe('body');
      });

      it.each(['iso-8859-1', 'utf-16'])('415 for JSON in %s', async (charset) => {
        const res = await fetch(`${api.baseUrl}${tasks}`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${user.token}`,
            'Content-Type': `application/json; charset=${charset}`,
          },
          body: Buffer.from('{"title":"caf\u00e9"}', 'latin1'),
        });
        expect(res.status).toBe(415);
        expect(((await res.json()) as ProblemJson).detail).toMatch(/UTF-8/);
      });

      it('takes JSON that says charset=UTF-8', async () => {
        const res = await fetch(`${api.baseUrl}${tasks}`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${user.token}`,
            'Content-Type': 'application/json; charset=UTF-8',
          },
          body: JSON.stringify({ title: 'café' }),
        });
        expect(res.status).toBe(201);
        expect(((await res.json()) as { title: string }).title).toBe('café');
      });

      it('422 for a JSON body that is not an object', async () => {
        const res = await api.request('POST', tasks, { token: user.token, json: ['title'] });
        expect(expectProblem(res, 422).errors?.[0]?.field).toBe('body');
      });

      it('422 for a missing body', async () => {
        const res = await api.request('POST', tasks, { token: user.token });
        expect(expectProblem(res, 422).errors?.[0]).toEqual({
          field: 'body',
          detail: 'is required: send a JSON object',
        });
      });

      it('accepts a 200-character emoji title (code points, not UTF-16 units)', async () => {
        const title = '😀'.repeat(200);
        const res = await api.request<{ title: string }>('POST', tasks, {
          token: user.token,
          json: { title },
        });
        expect(res.status).toBe(201);
        expect(res.body.title).toBe(title);
      });

      it('422 when the body sets fields the server owns', async () => {
        const res = await api.request('POST', tasks, {
          token: user.token,
          json: { title: 'ok', id: 'x', userId: 'y', createdAt: 'z', updatedAt: 'w' },
        });
        const fields = expectProblem(res, 422).errors?.map((e) => e.field);
        expect(fields).toEqual(['id', 'userId', 'createdAt', 'updatedAt']);
      });

      it('422 when PUT leaves a field out, naming it', async () => {
        const created = await api.request<{ id: string }>('POST', tasks, {
          token: user.token,
          json: { title: 'to replace' },
        });
        const res = await api.request('PUT', `${tasks}/${created.body.id}`, {
          token: user.token,
          json: { title: 'only a title' },
        });
        expect(expectProblem(res, 422).errors).toEqual([
          { field: 'description', detail: 'is required' },
          { field: 'completed', detail: 'is required' },
        ]);
      });

      it('422 when PATCH sets a server-owned field, and the task is unchanged', async () => {
        const created = await api.request<{ id: string }>('POST', tasks, {
          token: user.token,
          json: { title: 'keep me' },
        });
        const url = `${tasks}/${created.body.id}`;
        const res = await api.request('PATCH', url, {
          token: user.token,
          json: { title: 'changed', userId: 'someone-else' },
        });
        expectProblem(res, 422);
        const after = await api.request<{ title: string }>('GET', url, { token: user.token });
        expect(after.body.title).toBe('keep me');
      });
    });

    describe('query parameters', () => {
      it.each([
        ['limit=0', 'query.limit'],
        ['limit=101', 'query.limit'],
        ['limit=ten', 'query.limit'],
        ['status=done', 'query.status'],
        ['sort=importance', 'query.sort'],
        ['order=up', 'query.order'],
        ['cursor=%%%', 'query.cursor'],
        ['limit=1e1', 'query.limit'],
        ['limit=%2B5', 'query.limit'],
        ['limit=0x10', 'query.limit'],
        ['limit=2.0', 'query.limit'],
        ['limit=1&limit=2', 'query.limit'],
      ])('422 for ?%s', async (query, field) => {
        const res = await api.request('GET', `${tasks}?${query}`, { token: user.token });
        expect(expectProblem(res, 422).errors?.map((e) => e.field)).toEqual([field]);
      });

      it.each([
        [
          'an id that is no uuid',
          { s: 'createdAt', o: 'desc', v: '2026-01-01T00:00:00.000Z', i: 'zzz' },
        ],
        [
          'a date PostgreSQL cannot hold',
          { s: 'createdAt', o: 'desc', v: '+275760-09-13T00:00:00.000Z', i: SOME_ID },
        ],
        ['a title with a NUL', { s: 'title', o: 'asc', v: 'a\u0000', i: SOME_ID }],
      ])('422, not 500 or 503, for a hand-made cursor with %s', async (_label, payload) => {
        const cursor = Buffer.from(JSON.stringify(payload)).toString('base64url');
        const res = await api.request(
          'GET',
          `${tasks}?sort=${payload.s}&order=${payload.o}&cursor=${cursor}`,
          { token: user.token },
        );
        expect(expectProblem(res, 422).errors?.[0]?.field).toBe('query.cursor');
      });

      it('422 for a cursor used with another sort order', async () => {
        for (const title of ['one', 'two', 'three']) {
          await api.request('POST', tasks, { token: user.token, json: { title } });
        }
        const page = await api.request<{ nextCursor: string }>('GET', `${tasks}?limit=1`, {
          token: user.token,
        });
        const res = await api.request(
          'GET',
          `${tasks}?limit=1&sort=title&cursor=${page.body.nextCursor}`,
          { token: user.token },
        );
        expect(expectProblem(res, 422).errors?.[0]?.detail).toMatch(/sort=createdAt/);
      });
    });

    describe('routing', () => {
      it('404 problem for an unknown route', async () => {
        const res = await api.request('GET', '/nothing-here');
        expectProblem(res, 404);
      });

      it('405 with Allow for a method the route does not have', async () => {
        const res = await api.request('DELETE', tasks, { token: user.token });
        expectProblem(res, 405);
        expect(res.headers.get('allow')).toContain('GET');
      });

      it('404 for a malformed task id', async () => {
        const res = await api.request('GET', `${tasks}/123`, { token: user.token });
        expectProblem(res, 404);
      });
    });
  });

  describe(`an unexpected failure, on ${kind.name}`, () => {
    const logs: string[] = [];
    let world: World;
    let api: Api;
    let user: SignedInUser;

    beforeAll(async () => {
      const broken: TaskRepository = Object.assign(new InMemoryTaskRepository(), {
        list: async () => {
          throw new Error('syntax error at or near "SELECT" in select * from "task" where secret');
        },
      });
      world = await kind.start({
        label: 'http_500',
        tasks: broken,
        logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
      });
      api = world.api;
      user = await world.signUp('Unlucky');
    });

    afterAll(async () => {
      await world?.close();
    });

    it('is a generic 500 with a request id, and the details go to the log only', async () => {
      const res = await api.request('GET', `/api/${user.id}/tasks`, { token: user.token });
      const body = expectProblem(res, 500);
      expect(Object.keys(body).sort()).toEqual([...PROBLEM_KEYS, 'requestId'].sort());
      expect(JSON.stringify(body)).not.toMatch(/select|syntax|secret|at .*\.ts/i);
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
      const logged = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
      expect(logged).toMatchObject({
        requestId: body.requestId,
        err: { message: expect.stringMatching(/syntax/) },
      });
    });

    it('never writes a raw token to the log, not even for a refused one', async () => {
      const forged = `${user.token.slice(0, -4)}AAAA`;
      await api.request('GET', `/api/${user.id}/tasks?access_token=${user.token}`, {
        token: forged,
      });
      await api.request('GET', '/api/me', { token: user.token });
      const all = logs.join('\n');
      expect(all).not.toContain(user.token);
      expect(all).not.toContain(forged);
      expect(all).not.toContain(user.token.split('.').at(-1));
    });
  });
}

function rawGet(
  url: string,
  authorization: string[],
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Authorization: authorization } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
