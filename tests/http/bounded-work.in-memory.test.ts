import { Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createUseCases } from '../../src/application/use-cases.js';
import type { TaskRepository } from '../../src/domain/task/task-repository.port.js';
import { InMemoryTokenRevocations } from '../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InMemoryIdempotencyStore } from '../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryTaskRepository } from '../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { CryptoIdGenerator } from '../../src/infrastructure/system/crypto-id-generator.js';
import { SystemClock } from '../../src/infrastructure/system/system-clock.js';
import { createApp, type AppOptions } from '../../src/interfaces/http/app.js';
import { createHttpServer } from '../../src/interfaces/http/http-server.js';
import { aGate } from '../support/gate.js';
import { rawRequest } from '../support/raw-http.js';
import { eventually } from '../support/waiting.js';
import { inMemoryTasks } from '../support/in-memory-tasks.js';

/** A repository that stalls every call until `release`, as a database that stops answering. */
class StalledRepository {
  readonly repository: TaskRepository;
  entered = 0;
  private readonly gate = aGate<void>();

  constructor() {
    const inner = new InMemoryTaskRepository();
    this.repository = new Proxy(inner, {
      get: (target, key) => {
        const value: unknown = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          this.entered += 1;
          await this.gate.promise;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  release(): void {
    this.gate.open();
  }
}

const verifier = new InMemoryTokenVerifier();
const token = verifier.issue({ id: 'ada', email: 'ada@example.com', name: 'Ada' });
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The whole app on in-memory adapters, its tasks on `tasks`, behind the production server. */
async function serve(
  tasks: TaskRepository,
  options: AppOptions,
  idleTimeoutMs?: number,
): Promise<string> {
  const app = createApp(
    createUseCases({
      ...inMemoryTasks(tasks),
      idempotency: new InMemoryIdempotencyStore(),
      verifier,
      revocations: new InMemoryTokenRevocations(),
      clock: new SystemClock(),
      ids: new CryptoIdGenerator(),
      readiness: { isReady: async () => true },
    }),
    options,
  );
  const server = createHttpServer(app.callback(), { maxConnections: 100, idleTimeoutMs });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A request that gives up after 5 s: a hang fails the test instead of stalling it. */
async function get(
  url: string,
): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: text.startsWith('{') ? JSON.parse(text) : text,
  };
}

describe('REQUEST_TIMEOUT_SECONDS', () => {
  it('answers a request whose work is not done in time 503 with Retry-After, then serves again', async () => {
    const stalled = new StalledRepository();
    const url = await serve(stalled.repository, { requestTimeoutMs: 300 });

    const answer = await get(`${url}/api/ada/tasks`);
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('5');
    expect(answer.body).toMatchObject({
      type: '/problems/request-timeout',
      status: 503,
      detail: expect.stringContaining('0.3 s'),
    });

    stalled.release();
    expect((await get(`${url}/api/ada/tasks`)).status).toBe(200);
  });

  it('counts from the arrival of the whole request: the time a client takes to send its body is its own', async () => {
    const url = await serve(new InMemoryTaskRepository(), { requestTimeoutMs: 300 });
    const body = JSON.stringify({ title: 'Sent slowly' });

    const answer = await rawRequest(url, '/api/ada/tasks', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
      send: async (req) => {
        req.write(body.slice(0, 5));
        await new Promise((resolve) => setTimeout(resolve, 900));
        req.end(body.slice(5));
      },
    });
    expect(answer.status).toBe(201);
  });

  it('keeps the connection of a request being worked on past the idle timeout, and answers it', async () => {
    const stalled = new StalledRepository();
    // The socket is silent for longer than its idle timeout while the work goes on.
    const url = await serve(stalled.repository, { requestTimeoutMs: 1_000 }, 200);

    const answer = await get(`${url}/api/ada/tasks`);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ type: '/problems/request-timeout' });
    stalled.release();
  });
});

describe('REQUEST_TIMEOUT_SECONDS and Better Auth', () => {
  it('drops an answer Better Auth gives after the deadline, and the connection goes on', async () => {
    const late = aGate<void>();
    let answered = 0;
    const logs: string[] = [];
    const url = await serve(new InMemoryTaskRepository(), {
      requestTimeoutMs: 300,
      logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
      auth: {
        basePath: '/api/auth',
        routes: [{ method: 'GET', path: '/get-session' }],
        handler: async () => {
          await late.promise;
          answered += 1;
          return Response.json({ session: null });
        },
      },
    });
    // One keep-alive connection carries both requests.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await rawGet(agent, `${url}/api/auth/get-session`);
      expect(first.status).toBe(503);
      late.open();
      await eventually(async () => expect(answered).toBe(1));
      // Better Auth's late answer went nowhere, and the connection serves the next request.
      const next = await rawGet(agent, `${url}/health`);
      expect(next).toMatchObject({ status: 200, reusedSocket: true });
      expect(logs.filter((line) => line.includes('"level":50'))).toEqual([]);
    } finally {
      agent.destroy();
    }
  });
});

describe('MAX_IN_FLIGHT', () => {
  it('answers a request over the cap 503 at once, never a health check, and takes more once work ends', async () => {
    const stalled = new StalledRepository();
    const url = await serve(stalled.repository, { maxInFlight: 2, requestTimeoutMs: 10_000 });
    const held = [get(`${url}/api/ada/tasks`), get(`${url}/api/ada/tasks`)];
    await eventually(async () => expect(stalled.entered).toBe(2));

    const refused = await get(`${url}/api/ada/tasks`);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('1');
    expect(refused.body).toMatchObject({ type: '/problems/overloaded', status: 503 });
    expect((await get(`${url}/health`)).status).toBe(200);
    expect((await get(`${url}/ready`)).status).toBe(200);

    stalled.release();
    for (const answer of await Promise.all(held)) expect(answer.status).toBe(200);
    expect((await get(`${url}/api/ada/tasks`)).status).toBe(200);
  });

  it('counts a request until its work ends, even once its deadline has answered it', async () => {
    const stalled = new StalledRepository();
    const url = await serve(stalled.repository, { maxInFlight: 1, requestTimeoutMs: 300 });

    expect((await get(`${url}/api/ada/tasks`)).body).toMatchObject({
      type: '/problems/request-timeout',
    });
    // Its work still waits on the repository: the instance takes nothing more meanwhile.
    expect((await get(`${url}/api/ada/tasks`)).body).toMatchObject({
      type: '/problems/overloaded',
    });

    stalled.release();
    await eventually(async () => expect((await get(`${url}/api/ada/tasks`)).status).toBe(200));
  });
});

/** A GET on `agent`, and whether it went over a connection an earlier request used. */
function rawGet(agent: Agent, url: string): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}
