import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { TEST_SECRET } from '../support/test-service.js';

const MB = 1024 * 1024;
const READERS = 30;

/** The resident memory of process `pid`, from the kernel (Linux). */
function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib) * 1024;
}

/**
 * A client that asks for `path` and then reads nothing more: it resolves once the answer has
 * started, with the socket paused, so everything not yet sent stays with the server.
 */
function pausedReader(url: string, path: string, acceptEncoding: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept-Encoding: ${acceptEncoding}\r\n\r\n`,
      );
    });
    socket.once('data', () => {
      socket.pause();
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Scalar's bundle is 5 MB: a process that made a copy of it for every answer would hold 150 MB
 * for 30 clients that stop reading, gigabytes at MAX_CONNECTIONS. One shared copy per encoding
 * keeps them at the cost of their sockets. Measured on a separate process, so the number is the
 * server's alone.
 */
describe('30 clients that stop reading the /docs bundle', () => {
  let dataDir: string;
  let api: RunningProcess;
  let url: string;
  let scalar: string;
  const readers: Socket[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'task-api-docs-readers-'));
    const started = await startApiProcess({ DATA_DIR: dataDir, BETTER_AUTH_SECRET: TEST_SECRET });
    api = started.process;
    url = started.url;
    const page = await (await fetch(`${url}/docs`)).text();
    scalar = /src="(\/docs\/scalar[^"]*)"/.exec(page)?.[1] ?? '';
    // Once whole in every encoding: the bundle is loaded and the process has settled.
    for (const encoding of ['identity', 'gzip', 'br']) {
      const res = await fetch(url + scalar, { headers: { 'Accept-Encoding': encoding } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  });

  afterAll(async () => {
    for (const reader of readers) reader.destroy();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('add less than 20 MB to the server’s resident memory', async () => {
    const pid = api.child.pid ?? 0;
    const before = residentBytes(pid);
    const encodings = ['identity', 'gzip', 'br'];
    readers.push(
      ...(await Promise.all(
        Array.from({ length: READERS }, (_, i) =>
          pausedReader(url, scalar, encodings[i % encodings.length] ?? 'identity'),
        ),
      )),
    );
    const added = residentBytes(pid) - before;
    expect(added).toBeLessThan(20 * MB);
    // The server is still answering everybody else.
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
