import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

/** How long a test waits for the server to close a socket: its 10 s limit and some slack. */
const DEADLINE_MS = 16_000;

const sockets: Socket[] = [];

/** A raw TCP connection to the service, resolved once connected. */
function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Resolves when the server closes `socket`; rejects if that has not happened by the deadline. */
function closedByServer(socket: Socket, deadlineMs = DEADLINE_MS): Promise<string> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the server left the socket open')),
      deadlineMs,
    );
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

describe('connections', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('connections');
    service = await startTestService({ database: db.config });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it(
    'closes, within 10 s, connections that never complete a request: silent, slow headers, no body',
    async () => {
      const silent = await openSocket(service.url);
      const slowHeaders = await openSocket(service.url);
      const noBody = await openSocket(service.url);
      const closed = [silent, slowHeaders, noBody].map((socket) => closedByServer(socket));
      slowHeaders.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      noBody.write(
        'POST /api/auth/sign-in/email HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      );
      // Both keep sending a byte now and then: never idle, never complete.
      const drip = setInterval(() => [slowHeaders, noBody].forEach((s) => s.write('x')), 500);
      try {
        const [nothing, headers, body] = await Promise.all(closed);
        // Node answers 408 as it closes a connection whose request (or its first byte) took too
        // long; which of its two timers fires first on a silent one depends on the machine's load.
        expect(nothing).toMatch(/^(HTTP\/1\.1 408|$)/);
        expect(headers).toMatch(/^(HTTP\/1\.1 408|$)/);
        expect(body).toMatch(/^(HTTP\/1\.1 408|$)/);
      } finally {
        clearInterval(drip);
      }
    },
    DEADLINE_MS + 5_000,
  );

  it('still serves keep-alive clients', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });
});

describe('MAX_CONNECTIONS', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('max_connections');
    service = await startTestService({ database: db.config, maxConnections: 2 });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const connectionCount = () =>
    new Promise<number>((resolve, reject) =>
      service.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  it('closes a connection over the cap at once, and takes new ones when others have gone', async () => {
    const first = await openSocket(service.url);
    await openSocket(service.url);
    await eventually(async () => expect(await connectionCount()).toBe(2));

    const third = await openSocket(service.url);
    await expect(closedByServer(third, 5_000)).resolves.toBe('');

    first.destroy();
    await eventually(async () => expect(await connectionCount()).toBe(1));
    const res = await fetch(`${service.url}/health`, { headers: { Connection: 'close' } });
    expect(res.status).toBe(200);
  });
});
