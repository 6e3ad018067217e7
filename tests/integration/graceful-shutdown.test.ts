import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Api, signUp } from '../support/api-client.js';
import { startApiProcess } from '../support/child-process.js';

describe('SIGTERM', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'task-api-stop-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops accepting, finishes the request in flight, then exits cleanly', async () => {
    const { process: proc, url } = await startApiProcess({
      DATA_DIR: dataDir,
      BETTER_AUTH_URL: 'http://task-api.test',
    });
    const user = await signUp(new Api(url), 'Stopper');

    // A request whose body is only half sent when the signal arrives.
    const body = JSON.stringify({ title: 'Saved during shutdown' });
    const inFlight = request(`${url}/api/${user.id}/tasks`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${user.token}`,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      inFlight.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      inFlight.on('error', reject);
    });
    inFlight.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));

    proc.child.kill('SIGTERM');
    await proc.waitFor(/(shutting down)/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    inFlight.end(body.slice(10));
    const { status, text } = await answer;
    expect(status).toBe(201);
    expect(JSON.parse(text)).toMatchObject({ title: 'Saved during shutdown' });
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toContain('"msg":"stopped"');
  });
});
