import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Api, signUp } from '../support/api-client.js';
import { startApiProcess } from '../support/child-process.js';
import { rawRequest } from '../support/raw-http.js';

describe('SIGTERM', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'task-api-stop-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('turns /ready to 503 at once, serves new requests for SHUTDOWN_DELAY_SECONDS, then closes the listener and finishes the requests in flight', async () => {
    const { process: proc, url } = await startApiProcess({
      DATA_DIR: dataDir,
      BETTER_AUTH_URL: 'http://task-api.test',
      SHUTDOWN_DELAY_SECONDS: '2',
    });
    const user = await signUp(new Api(url), 'Stopper');
    const tasks = `/api/${user.id}/tasks`;
    const create = (title: string) =>
      rawRequest(url, tasks, {
        method: 'POST',
        headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
        send: (req) => void req.end(JSON.stringify({ title })),
      });

    // A request whose body is only half sent when the signal arrives.
    const body = JSON.stringify({ title: 'Saved during shutdown' });
    const inFlight = request(`${url}${tasks}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${user.token}`,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    const answer = new Promise<{ status: number; connection?: string; text: string }>(
      (resolve, reject) => {
        inFlight.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }),
          );
        });
        inFlight.on('error', reject);
      },
    );
    inFlight.write(body.slice(0, 10));
    await new Promise((resolve) =>
      inFlight.once('socket', (socket) => socket.once('connect', resolve)),
    );

    proc.child.kill('SIGTERM');
    await proc.waitFor(/"msg":"draining/);

    const ready = await rawRequest(url, '/ready', { method: 'GET' });
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ type: '/problems/not-ready' });
    // Still served during the delay, each answer closing its connection behind it.
    const during = await create('Created while draining');
    expect(during.status).toBe(201);
    expect(during.headers.connection).toBe('close');

    await proc.waitFor(/"msg":"listener closed/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    inFlight.end(body.slice(10));
    const { status, connection, text } = await answer;
    expect(status).toBe(201);
    expect(connection).toBe('close');
    expect(JSON.parse(text)).toMatchObject({ title: 'Saved during shutdown' });
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toContain('"msg":"stopped"');
  });
});
