import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { decodeSyncToken, encodeSyncToken } from '../../src/application/tasks/sync-token.js';
import { createUseCases } from '../../src/application/use-cases.js';
import { InMemoryTokenRevocations } from '../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InMemoryIdempotencyStore } from '../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { CryptoIdGenerator } from '../../src/infrastructure/system/crypto-id-generator.js';
import { SystemClock } from '../../src/infrastructure/system/system-clock.js';
import { createApp } from '../../src/interfaces/http/app.js';
import { createHttpServer } from '../../src/interfaces/http/http-server.js';
import { RECONNECT_AFTER_MS, Shutdown } from '../../src/interfaces/http/shutdown.js';
import { Api } from '../support/api-client.js';
import { dataOf, openStream, type OpenStream } from '../support/event-stream.js';
import { inMemoryTasks } from '../support/in-memory-tasks.js';
import { eventually } from '../support/waiting.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The event stream on in-memory adapters, behind the production server: the idle-socket rule cut
 * to 300 ms, the request deadline to 200 ms, one request in flight at most.
 */
describe('GET /api/{userId}/tasks/events, in process', () => {
  let verifier: InMemoryTokenVerifier;
  let revocations: InMemoryTokenRevocations;
  let server: Server;
  let shutdown: Shutdown;
  let url: string;
  let api: Api;
  const streams: OpenStream[] = [];
  const user = (id: string) => ({ id, email: `${id}@example.com`, name: id });

  beforeEach(async () => {
    verifier = new InMemoryTokenVerifier();
    revocations = new InMemoryTokenRevocations();
    shutdown = new Shutdown();
    const useCases = createUseCases({
      ...inMemoryTasks(),
      idempotency: new InMemoryIdempotencyStore(),
      verifier,
      revocations,
      clock: new SystemClock(),
      ids: new CryptoIdGenerator(),
      readiness: { isReady: async () => true },
    });
    const app = createApp(useCases, {
      shutdown,
      // A stream outlives the request deadline and holds no place among the requests in flight.
      requestTimeoutMs: 200,
      maxInFlight: 1,
      eventStreams: { maxPerUser: 2, max: 3, heartbeatMs: 500, checkEveryMs: 100 },
    });
    server = createHttpServer(shutdown.track(app.callback()), {
      maxConnections: 100,
      idleTimeoutMs: 300,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = new Api(url);
  });

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function open(
    id: string,
    token: string,
    options: { lastEventId?: string; since?: string } = {},
  ) {
    const stream = await openStream(url, id, token, options);
    streams.push(stream);
    return stream;
  }

  it('streams the owner’s creates, changes and deletions, with a sync token as each id', async () => {
    const token = verifier.issue(user('ada'));
    const stream = await open('ada', token);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-store');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('content-encoding')).toBeNull();
    const ready = await stream.next('ready');
    expect(stream.retries).toEqual([RECONNECT_AFTER_MS]);
    expect(decodeSyncToken(ready.id ?? '', 'ada', new Date(), DAY_MS).seq).toBe(0);

    const created = await api.request<{ id: string }>('POST', '/api/ada/tasks', {
      token,
      json: { title: 'Buy milk' },
    });
    await api.request('PATCH', `/api/ada/tasks/${created.body.id}`, {
      token,
      json: { completed: true },
    });
    await api.request('DELETE', `/api/ada/tasks/${created.body.id}`, { token });

    await eventually(async () => expect(stream.events).toHaveLength(4));
    const [, first, second, third] = stream.events;
    expect(first?.event).toBe('task');
    expect(dataOf(first!)).toEqual(
      expect.objectContaining({ id: created.body.id, title: 'Buy milk' }),
    );
    expect(second?.event).toBe('task');
    expect(dataOf(second!)).toEqual(expect.objectContaining({ completed: true }));
    expect(third?.event).toBe('deleted');
    expect(dataOf(third!)).toEqual({ id: created.body.id });
    const seqs = [first, second, third].map(
      (e) => decodeSyncToken(e?.id ?? '', 'ada', new Date(), DAY_MS).seq,
    );
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('shows nothing of another user’s tasks, and refuses another user’s stream', async () => {
    const ada = verifier.issue(user('ada'));
    const grace = verifier.issue(user('grace'));
    const graceStream = await open('grace', grace);
    await graceStream.next('ready');

    await api.request('POST', '/api/ada/tasks', { token: ada, json: { title: 'Ada’s' } });
    const adaStream = await open('ada', ada);
    await api.request('POST', '/api/ada/tasks', { token: ada, json: { title: 'Ada’s again' } });
    await adaStream.next('task');

    expect(graceStream.events.map((e) => e.event)).toEqual(['ready']);
    const foreign = await open('ada', grace);
    expect(foreign.status).toBe(404);
  });

  it('resumes from Last-Event-ID (or since) with every change made meanwhile', async () => {
    const token = verifier.issue(user('ada'));
    const first = await open('ada', token);
    await first.next('ready');
    await api.request('POST', '/api/ada/tasks', { token, json: { title: 'Seen' } });
    const seen = await first.next('task');
    first.close();

    await api.request('POST', '/api/ada/tasks', { token, json: { title: 'Missed 1' } });
    await api.request('POST', '/api/ada/tasks', { token, json: { title: 'Missed 2' } });

    for (const options of [{ lastEventId: seen.id }, { since: seen.id }]) {
      const resumed = await open('ada', token, options);
      await eventually(async () =>
        expect(
          resumed.events.filter((e) => e.event === 'task').map((e) => dataOf(e).title),
        ).toEqual(['Missed 1', 'Missed 2']),
      );
      resumed.close();
    }
  });

  it('answers an expired token with resync and ends; another user’s token with 422', async () => {
    const token = verifier.issue(user('ada'));
    const old = encodeSyncToken('ada', { seq: 0, floor: 0, issuedAt: Date.now() - 31 * DAY_MS });
    const expired = await open('ada', token, { lastEventId: old });
    expect(expired.status).toBe(200);
    await expired.ended;
    expect(expired.events.map((e) => e.event)).toEqual(['resync']);

    const foreign = encodeSyncToken('grace', { seq: 0, floor: 0, issuedAt: Date.now() });
    const refused = await open('ada', token, { since: foreign });
    expect(refused.status).toBe(422);
    expect(refused.problem?.type).toBe('/problems/validation-error');
  });

  it('beats through the idle-socket rule and stays open', async () => {
    const token = verifier.issue(user('ada'));
    const stream = await open('ada', token);
    await stream.next('ready');
    // Past the 300 ms idle rule several times over, with nothing to send but heartbeats.
    await eventually(async () => expect(stream.comments.length).toBeGreaterThanOrEqual(2));
    expect(stream.comments).toContain('keep-alive');
    await api.request('POST', '/api/ada/tasks', { token, json: { title: 'Still live' } });
    await stream.next('task');
  });

  it('caps the streams per user (429) and per instance (503), and frees a closed one’s place', async () => {
    const ada = verifier.issue(user('ada'));
    const a1 = await open('ada', ada);
    await open('ada', ada);
    const third = await open('ada', ada);
    expect(third.status).toBe(429);
    expect(third.problem?.type).toBe('/problems/too-many-event-streams');
    expect(third.headers.get('retry-after')).toBe('5');

    await open('grace', verifier.issue(user('grace')));
    const full = await open('linus', verifier.issue(user('linus')));
    expect(full.status).toBe(503);
    expect(full.problem?.type).toBe('/problems/overloaded');

    a1.close();
    await eventually(async () =>
      expect((await open('linus', verifier.issue(user('linus')))).status).toBe(200),
    );
  });

  it('says reauth when the token expires, and ends', async () => {
    const stream = await open('ada', verifier.issue(user('ada'), 1));
    await stream.next('ready');
    await stream.next('reauth', 5_000);
    await stream.ended;
  });

  it('says revoked once the token’s session has ended, and ends', async () => {
    const stream = await open('ada', verifier.issue(user('ada'), 3600, 'session-1'));
    await stream.next('ready');
    await revocations.revokeSession('session-1', new Date(Date.now() + DAY_MS));
    await stream.next('revoked', 2_000);
    await stream.ended;
  });

  it('ends with a retry hint when the instance shuts down', async () => {
    const stream = await open('ada', verifier.issue(user('ada')));
    await stream.next('ready');
    await shutdown.drain(server, { delayMs: 0, graceMs: 10_000 }, pino({ level: 'silent' }));
    await stream.ended;
    expect(stream.retries).toEqual([RECONNECT_AFTER_MS, RECONNECT_AFTER_MS]);
  });
});
