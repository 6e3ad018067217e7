import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTaskApiAuthClient,
  createTasksClient,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  type ListTasksQuery,
  type TaskChange,
  type TasksClient,
} from '../../src/client/index.js';
import type { RunningServer } from '../../src/server.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

const LIFETIME_SECONDS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The client as a server-side caller (a Next.js route, a script) uses it: Better Auth's client to
 * sign in, the session cookie to get JWTs from /api/auth/token, the tasks client for the API.
 */
describe('the API client against the real service', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let cookie = '';

  const auth = () => createTaskApiAuthClient(service.url);

  const fetchOptions = {
    headers: { Origin: TEST_AUTH_URL },
    onSuccess: (ctx: { response: Response }) => {
      const set = ctx.response.headers.getSetCookie().map((c) => c.split(';')[0]);
      if (set.length > 0) cookie = set.join('; ');
    },
  };

  async function sessionToken(): Promise<string | null> {
    const res = await fetch(`${service.url}/api/auth/token`, { headers: { cookie } });
    return res.status === 200 ? ((await res.json()) as { token: string }).token : null;
  }

  function client(
    options: { now?: () => number; refreshMarginMs?: number } = {},
    fetches = { count: 0 },
  ): TasksClient {
    const getToken = () => {
      fetches.count += 1;
      return sessionToken();
    };
    return createTasksClient({ baseUrl: service.url, getToken, ...options });
  }

  beforeAll(async () => {
    db = await createPostgresDatabase('client');
    service = await startTestService({
      database: db.config,
      tokens: { lifetimeSeconds: LIFETIME_SECONDS },
    });
    const { error } = await auth().signUp.email({
      email: 'client@example.com',
      password: 'correct-horse-battery-staple',
      name: 'Client',
      fetchOptions,
    });
    expect(error).toBeNull();
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('works with tasks through every method, with typed errors', async () => {
    const tasks = client();
    const me = await tasks.me();
    expect(me).toMatchObject({ email: 'client@example.com', name: 'Client' });

    const created = await tasks.create({ title: 'First', description: 'from the client' });
    expect(created).toMatchObject({ userId: me.id, title: 'First', completed: false });
    expect(await tasks.get(created.id)).toEqual(created);
    expect(
      await tasks.replace(created.id, { title: 'Renamed', description: null, completed: true }),
    ).toMatchObject({ title: 'Renamed', description: null, completed: true });
    expect(await tasks.update(created.id, { description: 'patched' })).toMatchObject({
      title: 'Renamed',
      description: 'patched',
    });
    expect((await tasks.toggleComplete(created.id)).completed).toBe(false);

    for (const title of ['two', 'three', 'four', 'five']) await tasks.create({ title });
    const page = await tasks.list({ limit: 2, sort: 'title', order: 'asc' });
    expect(page.items.map((t) => t.title)).toEqual(['Renamed', 'five']);
    const all: string[] = [];
    for await (const task of tasks.iterate({ limit: 2, sort: 'title', order: 'asc' })) {
      all.push(task.title);
    }
    expect(all).toEqual(['Renamed', 'five', 'four', 'three', 'two']);

    await expect(tasks.remove(created.id)).resolves.toBeUndefined();
    await expect(tasks.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    const invalid = await tasks.create({ title: '   ' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).fields).toEqual({ title: 'must not be empty' });
  });

  it('sends every list filter so the API applies it, and reads the new fields back', async () => {
    const tasks = client();
    const HOUR = 60 * 60 * 1000;
    const DAY = 24 * HOUR;
    /** An instant as RFC 3339 with a +02:00 offset, as a browser east of UTC sends it. */
    const east = (ms: number) => new Date(ms + 2 * HOUR).toISOString().replace('Z', '+02:00');
    const now = Date.now();
    // `rt` sets these tasks apart from the ones the other tests made.
    const taxes = await tasks.create({
      title: 'Pay the taxes',
      priority: 'high',
      tags: ['rt', ' Money '],
      dueAt: east(now - HOUR),
    });
    const plants = await tasks.create({
      title: 'Water the plants',
      description: 'On the BALCONY',
      priority: 'low',
      tags: ['rt', 'home'],
      dueAt: east(now + 2 * DAY),
      recurrence: 'weekly',
    });
    const book = await tasks.create({ title: 'Read a book', tags: ['rt'] });
    expect(taxes).toMatchObject({
      priority: 'high',
      tags: ['rt', 'money'],
      dueAt: new Date(now - HOUR).toISOString(),
      recurrence: null,
      completedAt: null,
      nextOccurrenceId: null,
    });
    expect(book).toMatchObject({ priority: 'medium', dueAt: null, recurrence: null });

    const titles = async (query: ListTasksQuery) =>
      (await tasks.list({ tag: ['rt'], ...query })).items.map((t) => t.title);
    expect(await titles({ tag: ['rt', 'home'] })).toEqual(['Water the plants']);
    expect(await titles({ priority: ['high', 'low'], sort: 'title', order: 'asc' })).toEqual([
      'Pay the taxes',
      'Water the plants',
    ]);
    expect(await titles({ q: 'balcony' })).toEqual(['Water the plants']);
    expect(await titles({ overdue: true })).toEqual(['Pay the taxes']);
    expect(await titles({ overdue: false, sort: 'title', order: 'asc' })).toEqual([
      'Pay the taxes',
      'Read a book',
      'Water the plants',
    ]);
    expect(await titles({ dueAfter: east(now), dueBefore: east(now + 3 * DAY) })).toEqual([
      'Water the plants',
    ]);
    // Without a due date last, in either order; priority descending is high first.
    expect(await titles({ sort: 'dueAt', order: 'asc' })).toEqual([
      'Pay the taxes',
      'Water the plants',
      'Read a book',
    ]);
    expect(await titles({ sort: 'dueAt', order: 'desc' })).toEqual([
      'Water the plants',
      'Pay the taxes',
      'Read a book',
    ]);
    expect(await titles({ sort: 'priority', order: 'desc' })).toEqual([
      'Pay the taxes',
      'Read a book',
      'Water the plants',
    ]);
    // Every page keeps the filters.
    const walked: string[] = [];
    for await (const task of tasks.iterate({ tag: ['rt'], priority: ['low', 'medium'], limit: 1 }))
      walked.push(task.title);
    expect(walked).toEqual(['Read a book', 'Water the plants']);

    const refused = await tasks.list({ tag: ['no!way'] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(Object.keys((refused as ValidationError).fields)).toEqual([
      expect.stringMatching(/^query\.tag\b/),
    ]);

    const done = await tasks.toggleComplete(plants);
    expect(done.completedAt).not.toBeNull();
    const next = await tasks.get(done.nextOccurrenceId ?? 'none');
    expect(next).toMatchObject({
      title: 'Water the plants',
      completed: false,
      priority: 'low',
      tags: ['rt', 'home'],
      recurrence: 'weekly',
      dueAt: new Date(Date.parse(plants.dueAt ?? '') + 7 * DAY).toISOString(),
    });
  });

  it('keeps a copy in sync: a full sync, then only what changed, deletions included', async () => {
    const tasks = client();
    const kept = await tasks.create({ title: 'Kept' });
    const doomed = await tasks.create({ title: 'Doomed' });
    const full = await tasks.sync();
    const ids = full.changes.map((change) => ('task' in change ? change.task.id : null));
    expect(ids).toEqual(expect.arrayContaining([kept.id, doomed.id]));

    const added = await tasks.create({ title: 'Added' });
    await tasks.remove(doomed.id);
    const renamed = await tasks.update(kept, { title: 'Kept, renamed' });

    const delta = await tasks.sync(full.next);
    expect(delta.changes).toEqual([{ task: added }, { deleted: doomed.id }, { task: renamed }]);
    await expect(tasks.sync(delta.next)).resolves.toEqual({
      changes: [],
      next: expect.any(String),
    });
  });

  it('handles token expiry without the caller noticing', async () => {
    // One client refreshes ahead of exp; the other believes its token is forever fresh, so it
    // meets the API's 401 and must refresh and retry by itself.
    const aheadFetches = { count: 0 };
    const frozenFetches = { count: 0 };
    const ahead = client({}, aheadFetches);
    const frozen = client({ now: () => 0, refreshMarginMs: 0 }, frozenFetches);
    await ahead.list();
    await frozen.list();

    const deadline = Date.now() + (LIFETIME_SECONDS + 6) * 1000; // past exp and the API's 5 s leeway
    while (Date.now() < deadline) {
      await ahead.list();
      await sleep(1_000);
    }
    // Refreshed ahead of expiry, again and again, without a single failed call.
    expect(aheadFetches.count).toBeGreaterThanOrEqual(3);
    // Met the API's 401 once, fetched one new token and retried: the caller saw a normal answer.
    await expect(frozen.list()).resolves.toMatchObject({ items: expect.any(Array) });
    expect(frozenFetches.count).toBe(2);
  }, 30_000);

  it('watches changes live, resuming from a sync and across token renewals, until aborted', async () => {
    const fetches = { count: 0 };
    const tasks = client({}, fetches);
    const { next } = await tasks.sync();
    const seen: { change: TaskChange; token: string }[] = [];
    const stop = new AbortController();
    const watching = tasks.watch((change, token) => seen.push({ change, token }), {
      since: next,
      signal: stop.signal,
    });

    // Made before the stream may even be open: `since` brings it all the same.
    const first = await tasks.create({ title: 'Watched 1' });
    await eventually(async () => expect(seen).toHaveLength(1));
    // Past two renewals of the 5 s token (each half-way through its life), then more changes.
    const fetchesBefore = fetches.count;
    await sleep((LIFETIME_SECONDS + 1) * 1000);
    const second = await tasks.create({ title: 'Watched 2' });
    await tasks.remove(first.id);

    await eventually(async () => expect(seen).toHaveLength(3));
    expect(seen.map(({ change }) => change)).toEqual([
      { task: first },
      { task: second },
      { deleted: first.id },
    ]);
    expect(fetches.count).toBeGreaterThan(fetchesBefore);
    // Each token resumes a sync right after its change.
    await expect(tasks.sync(seen[1]?.token)).resolves.toEqual({
      changes: [{ deleted: first.id }],
      next: expect.any(String),
    });
    stop.abort();
    await expect(watching).resolves.toBeUndefined();
  }, 30_000);

  it('ends access at sign-out', async () => {
    const tasks = client();
    await tasks.me();
    await auth().signOut({ fetchOptions: { headers: { Origin: TEST_AUTH_URL, cookie } } });
    tasks.signOut();
    await expect(tasks.me()).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
