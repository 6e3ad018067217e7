import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createLogger } from '../../src/infrastructure/observability/logger.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

/** Small, so that the test waits little; the promise is the same at the default 10 s. */
const REQUEST_TIMEOUT_SECONDS = 2;
/** The promise: every request is answered within REQUEST_TIMEOUT_SECONDS + 1 s. */
const ANSWERED_WITHIN_MS = (REQUEST_TIMEOUT_SECONDS + 1) * 1000;

/** What one request got: an answer, or the error of a connection closed without one. */
interface Outcome {
  readonly requestId: string;
  readonly status?: number;
  readonly retryAfter?: string | null;
  readonly contentType?: string | null;
  readonly error?: string;
}

/** How long the service says it took over a request, from its request log line. */
interface Logged {
  readonly requestId: string;
  readonly status: number;
  readonly ms: number;
}

async function outcomeOf(requestId: string, call: () => Promise<Response>): Promise<Outcome> {
  try {
    const res = await call();
    await res.arrayBuffer();
    return {
      requestId,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      contentType: res.headers.get('content-type'),
    };
  } catch (error) {
    return { requestId, error: String(error) };
  }
}

/** A success, or a 503 problem with Retry-After: anything else (a 500, no answer) is a failure. */
function acceptable(outcome: Outcome): boolean {
  if (outcome.status === 503) {
    return !!outcome.retryAfter && !!outcome.contentType?.startsWith('application/problem+json');
  }
  return outcome.status === 200 || outcome.status === 201;
}

/**
 * A database that stops answering task writes (another session holds a lock on the task table)
 * while 200 requests arrive: every one is answered in time, reads keep working, and the service
 * recovers by itself when the lock goes.
 */
describe('bounded work while the database stalls task writes', () => {
  const logLines: string[] = [];
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let writer: SignedInUser;
  let reader: SignedInUser;
  let locker: pg.Client;

  beforeAll(async () => {
    db = await createPostgresDatabase('overload');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    // Users are signed up on an instance with the default deadline: hashing a password on a busy
    // machine can take longer than the small one under test.
    const setup = await startTestService({ database: db.config });
    try {
      const setupApi = new Api(setup.url);
      writer = await signUp(setupApi, 'Writer');
      reader = await signUp(setupApi, 'Reader');
      const created = await setupApi.request('POST', `/api/${reader.id}/tasks`, {
        token: reader.token,
        json: { title: 'Readable while writes wait' },
      });
      expect(created.status).toBe(201);
    } finally {
      await setup.close();
    }
    service = await startTestService({
      database: db.config,
      requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
      taskApiRateLimit: 0,
      overrides: { logger: createLogger('info', sink) },
    });
    api = new Api(service.url);
    // Its key set is loaded before the burst.
    await eventually(async () => expect((await read()()).status).toBe(200));
    locker = new pg.Client({ connectionString: db.config.url });
    await locker.connect();
  });

  afterAll(async () => {
    await locker?.end();
    await service?.close();
    await db?.drop();
  });

  const write =
    (requestId = 'write') =>
    () =>
      fetch(`${service.url}/api/${writer.id}/tasks`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${writer.token}`,
          'Content-Type': 'application/json',
          'X-Request-Id': requestId,
        },
        body: JSON.stringify({ title: 'Written while the table is locked' }),
      });
  const read =
    (requestId = 'read') =>
    () =>
      fetch(`${service.url}/api/${reader.id}/tasks`, {
        headers: { Authorization: `Bearer ${reader.token}`, 'X-Request-Id': requestId },
      });

  /** The service's request log lines, by request id. */
  function logged(): Map<string, Logged> {
    const entries = logLines
      .map((line) => JSON.parse(line) as Partial<Logged> & { msg?: string })
      .filter((entry): entry is Logged & { msg: string } => entry.msg === 'request');
    return new Map(entries.map((entry) => [entry.requestId, entry]));
  }

  it('answers each of 200 requests in time, keeps reads going, and recovers when the lock goes', async () => {
    await locker.query('begin');
    // EXCLUSIVE mode blocks every write to the table; plain reads still go through.
    await locker.query('lock table "task" in exclusive mode');
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const requestId = `${i % 2 === 0 ? 'write' : 'read'}-${i}`;
          return outcomeOf(requestId, i % 2 === 0 ? write(requestId) : read(requestId));
        }),
      );
      // Every request got an answer: no connection closed without one, no 500.
      expect(outcomes.filter((outcome) => !acceptable(outcome))).toEqual([]);
      // Within the promise, as the service counts it from the moment it has read the request (on a
      // loaded machine the client's own queueing would measure the machine, not the service).
      const log = logged();
      const late = outcomes.filter(({ requestId }) => {
        const entry = log.get(requestId);
        return !entry || entry.ms > ANSWERED_WITHIN_MS;
      });
      expect(late.map(({ requestId }) => log.get(requestId) ?? requestId)).toEqual([]);
      // The writes really were held: the test proves nothing if none of them waited.
      expect(outcomes.some((o) => o.requestId.startsWith('write') && o.status === 503)).toBe(true);

      // With the lock still held, another user's reads get through again.
      await eventually(async () => expect((await read()()).status).toBe(200));
      const blocked = await outcomeOf('write-while-locked', write('write-while-locked'));
      expect(blocked).toMatchObject({ status: 503, retryAfter: expect.any(String) });
      expect(logged().get('write-while-locked')?.ms).toBeLessThanOrEqual(ANSWERED_WITHIN_MS);
    } finally {
      await locker.query('rollback');
    }

    await eventually(async () => expect((await write()()).status).toBe(201));
    expect((await api.request('GET', '/ready')).status).toBe(200);
  });
});
