import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

/** Runs the built entry point (npm test builds it first) as a separate process. */
function run(env: Record<string, string>, entry = 'dist/main.js') {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the service process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'task-api-start-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ NODE_ENV: 'production' }, /BETTER_AUTH_SECRET: is required when NODE_ENV=production/],
    [
      { NODE_ENV: 'production', BETTER_AUTH_SECRET: 'too-short' },
      /BETTER_AUTH_SECRET: must be at least 32/,
    ],
    [{ DATABASE_URL: 'mysql://localhost/tasks' }, /DATABASE_URL: must be a postgres/],
    [{ PORT: 'http' }, /PORT: must be a port number/],
  ])('refuses to start with %j and names the variable', async (env, message) => {
    const proc = run({ DATA_DIR: dataDir, ...env });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toMatch(message);
    expect(proc.output().stdout).toBe('');
  });

  it('starts on the embedded database with a kept development secret, and stops on SIGTERM', async () => {
    const proc = run({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
    const url = await waitFor(
      () => /Task API listening on (http:\/\/[^"\s]+)/.exec(proc.output().stdout)?.[1],
      'the listening line',
    );
    expect(proc.output().stdout).toContain('BETTER_AUTH_SECRET is not set');
    expect(existsSync(join(dataDir, 'app.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'better-auth-secret'))).toBe(true);

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.output().stdout).toContain('stopped');
  });
});
