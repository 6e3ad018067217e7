import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeSyncToken } from '../../src/application/tasks/sync-token.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { dataOf, openStream, type OpenStream } from '../support/event-stream.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const seqOf = (user: SignedInUser, id: string | undefined) =>
  decodeSyncToken(id ?? '', user.id, new Date(), DAY_MS).seq;
const titles = (stream: OpenStream) =>
  stream.events.filter((e) => e.event === 'task').map((e) => String(dataOf(e).title));

/** Two instances on one PostgreSQL database: a write on A reaches a stream on B. */
describe('live task events across two instances on PostgreSQL', () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let apiA: Api;
  let apiB: Api;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase('task_events');
    a = await startTestService({ database: db.config });
    b = await startTestService({
      database: db.config,
      eventStreams: { maxPerUser: 2, max: 100 },
      metrics: { listener: null, token: 'm'.repeat(32) },
    });
    apiA = new Api(a.url);
    apiB = new Api(b.url);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  async function open(
    server: RunningServer,
    user: SignedInUser,
    options: { lastEventId?: string; token?: string } = {},
  ) {
    const stream = await openStream(server.url, user.id, options.token ?? user.token, options);
    streams.push(stream);
    return stream;
  }

  const create = (api: Api, user: SignedInUser, title: string) =>
    api.request<{ id: string }>('POST', `/api/${user.id}/tasks`, {
      token: user.token,
      json: { title },
    });

  it('delivers a write on A to the owner’s stream on B, and nothing to another user’s', async () => {
    const ada = await signUp(apiA, 'Ada');
    const grace = await signUp(apiA, 'Grace');
    const adaOnB = await open(b, ada);
    const graceOnB = await open(b, grace);
    await adaOnB.next('ready');
    await graceOnB.next('ready');

    const created = await create(apiA, ada, 'Written on A');
    await apiA.request('DELETE', `/api/${ada.id}/tasks/${created.body.id}`, { token: ada.token });

    await eventually(async () =>
      expect(adaOnB.events.map((e) => e.event)).toEqual(['ready', 'task', 'deleted']),
    );
    expect(dataOf(adaOnB.events[1]!)).toEqual(
      expect.objectContaining({ id: created.body.id, title: 'Written on A', userId: ada.id }),
    );
    expect(dataOf(adaOnB.events[2]!)).toEqual({ id: created.body.id });
    await create(apiA, grace, 'Grace’s own');
    await graceOnB.next('task');
    expect(titles(graceOnB)).toEqual(['Grace’s own']);
  });

  it('delivers 20 concurrent writes, all of them, in the order they were numbered', async () => {
    const user = await signUp(apiA, 'Busy');
    const stream = await open(b, user);
    await stream.next('ready');

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => create(i % 2 ? apiA : apiB, user, `Task ${i}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));

    await eventually(async () => expect(titles(stream)).toHaveLength(20));
    const seqs = stream.events.filter((e) => e.event === 'task').map((e) => seqOf(user, e.id));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(titles(stream)).size).toBe(20);
  });

  it('misses nothing across a reconnect with Last-Event-ID, on the other instance', async () => {
    const user = await signUp(apiA, 'Roamer');
    const onB = await open(b, user);
    await onB.next('ready');
    await create(apiA, user, 'Before');
    const seen = await onB.next('task');
    onB.close();

    await create(apiB, user, 'While away 1');
    await create(apiA, user, 'While away 2');

    const onA = await open(a, user, { lastEventId: seen.id });
    await onA.next('ready');
    await create(apiB, user, 'After');
    await eventually(async () =>
      expect(titles(onA)).toEqual(['While away 1', 'While away 2', 'After']),
    );
  });

  it('caps the streams per user, and counts the open ones in the metrics', async () => {
    const user = await signUp(apiA, 'Tabs');
    const metrics = async () =>
      (
        await fetch(`${b.url}/metrics`, { headers: { Authorization: `Bearer ${'m'.repeat(32)}` } })
      ).text();
    const openNow = async () =>
      Number(/^task_api_event_streams_open (\d+)$/m.exec(await metrics())?.[1]);
    const before = await openNow();
    const first = await open(b, user);
    await open(b, user);
    const third = await open(b, user);
    expect(third.status).toBe(429);
    expect(third.problem?.type).toBe('/problems/too-many-event-streams');
    expect(await openNow()).toBe(before + 2);

    first.close();
    await eventually(async () => expect(await openNow()).toBe(before + 1));
  });

  it('says revoked, on B, once the stream’s session signs out on A', async () => {
    const user = await signUp(apiA, 'Leaver');
    const stream = await open(b, user);
    await stream.next('ready');

    const signOut = await fetch(`${a.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: user.cookie },
      body: '{}',
    });
    expect(signOut.status).toBe(200);

    await stream.next('revoked', 5_000);
    await stream.ended;
  });
});

describe('live task events with short-lived tokens', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('task_events_reauth');
    service = await startTestService({
      database: db.config,
      tokens: { lifetimeSeconds: 2, maxAgeSeconds: 2 },
    });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('says reauth at the token’s exp, and ends', async () => {
    const user = await signUp(new Api(service.url), 'Brief');
    const stream = await openStream(service.url, user.id, user.token);
    try {
      await stream.next('ready');
      await stream.next('reauth', 10_000);
      await stream.ended;
    } finally {
      stream.close();
    }
  });
});

describe('live task events in process on SQLite', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = createSqliteDatabase();
    service = await startTestService({ database: db.config });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('delivers a write to the owner’s stream', async () => {
    const api = new Api(service.url);
    const user = await signUp(api, 'Local');
    const stream = await openStream(service.url, user.id, user.token);
    try {
      await stream.next('ready');
      await api.request('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: 'On SQLite' },
      });
      await eventually(async () => expect(titles(stream)).toEqual(['On SQLite']));
    } finally {
      stream.close();
    }
  });
});
