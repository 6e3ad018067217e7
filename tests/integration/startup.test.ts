import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { runNode, startApiProcess } from '../support/child-process.js';

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
    [{ AUTH_JWT_ALG: 'none' }, /AUTH_JWT_ALG: must be one of EdDSA/],
    [
      { AUTH_JWT_ALG: 'HS256', AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks' },
      /AUTH_JWKS_URL: has no effect with AUTH_JWT_ALG=HS256/,
    ],
    [{ AUTH_EMBEDDED: 'false', AUTH_ISSUER: 'https://app.example.com' }, /AUTH_EMBEDDED: =false/],
    [{ API_DOCS: 'off' }, /API_DOCS: must be true or false/],
  ])('refuses to start with %j and names the variable', async (env, message) => {
    const proc = runNode('dist/main.js', { DATA_DIR: dataDir, ...env });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toMatch(message);
    expect(proc.stdout()).toBe('');
  });

  it('migrates the database alone with npm run migrate (dist/migrate.js), then exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-api-migrate-'));
    try {
      const proc = runNode('dist/migrate.js', { DATA_DIR: dir, LOG_LEVEL: 'info' });
      expect(await proc.exited).toBe(0);
      expect(proc.stdout()).toContain('database is up to date');
      const db = new Database(join(dir, 'app.sqlite'), { readonly: true });
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all();
      db.close();
      expect(tables.map((t) => (t as { name: string }).name)).toEqual(
        expect.arrayContaining(['user', 'session', 'account', 'verification', 'jwks', 'task']),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts on the embedded database with a kept development secret', async () => {
    const { process: proc, url } = await startApiProcess({ DATA_DIR: dataDir });
    try {
      expect(proc.stdout()).toContain('BETTER_AUTH_SECRET is not set');
      expect(existsSync(join(dataDir, 'app.sqlite'))).toBe(true);
      expect(existsSync(join(dataDir, 'better-auth-secret'))).toBe(true);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
    expect(proc.stdout()).toContain('"msg":"stopped"');
  });

  it('serves neither /openapi.json nor /docs with API_DOCS=false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-api-no-docs-'));
    const { process: proc, url } = await startApiProcess({ DATA_DIR: dir, API_DOCS: 'false' });
    try {
      for (const path of ['/openapi.json', '/docs', '/docs/scalar.js']) {
        const res = await fetch(url + path);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      }
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      expect(await proc.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies only, without a secret, in production with AUTH_EMBEDDED=false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-api-verify-only-'));
    const { process: proc, url } = await startApiProcess({
      DATA_DIR: dir,
      NODE_ENV: 'production',
      AUTH_EMBEDDED: 'false',
      AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks',
      AUTH_ISSUER: 'https://app.example.com',
    });
    try {
      expect(proc.stdout()).not.toContain('BETTER_AUTH_SECRET');
      expect(existsSync(join(dir, 'better-auth-secret'))).toBe(false);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      expect((await fetch(`${url}/api/auth/get-session`)).status).toBe(404);
      expect((await fetch(`${url}/`)).status).toBe(404); // no page without sign-in
    } finally {
      expect(await proc.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
