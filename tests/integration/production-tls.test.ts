import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, fetchToken, sessionCookie } from '../support/api-client.js';
import { runNode, startApiProcess } from '../support/child-process.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_SECRET } from '../support/test-service.js';

const PUBLIC_URL = 'https://tasks.example.com';

describe('production means TLS: the process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'task-api-tls-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const production = { DATA_DIR: dataDir, NODE_ENV: 'production', BETTER_AUTH_SECRET: TEST_SECRET };

  it('refuses to start with a public http: BETTER_AUTH_URL, naming the variable', async () => {
    const proc = runNode('dist/main.js', {
      ...production,
      BETTER_AUTH_URL: 'http://tasks.example.com',
    });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toMatch(
      /BETTER_AUTH_URL: must be an https: URL when NODE_ENV=production/,
    );
    expect(proc.stdout()).toBe('');
  });

  it('starts with http: on a loopback address, where browsers treat it as secure', async () => {
    const { process: proc, url } = await startApiProcess({
      ...production,
      BETTER_AUTH_URL: 'http://127.0.0.1:8000',
    });
    try {
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });
});

describe('production means TLS: an https BETTER_AUTH_URL', () => {
  let db: TestDatabase;
  let secure: RunningServer;
  let secureThisHostOnly: RunningServer;
  let plain: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('production_tls');
    [secure, secureThisHostOnly, plain] = await Promise.all([
      startTestService({ database: db.config, production: true, authUrl: PUBLIC_URL }),
      startTestService({
        database: db.config,
        production: true,
        authUrl: PUBLIC_URL,
        hstsIncludeSubDomains: false,
      }),
      startTestService({ database: db.config }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([secure?.close(), secureThisHostOnly?.close(), plain?.close()]);
    await db?.drop();
  });

  const signUpAt = (service: RunningServer, origin: string) =>
    fetch(`${service.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({
        email: `tls.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`,
        password: 'correct-horse-battery-staple',
        name: 'Tls',
      }),
    });

  it('sets the session cookie Secure (with the __Secure- prefix)', async () => {
    const res = await signUpAt(secure, PUBLIC_URL);
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__Secure-/);
      expect(cookie).toMatch(/;\s*Secure(;|$)/i);
    }
    // The cookie still buys a token, and the token works.
    const token = await fetchToken(new Api(secure.url), sessionCookie(res.headers));
    const me = await fetch(`${secure.url}/api/me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
  });

  it.each(['/health', '/api/auth/jwks', '/api/me', '/api/auth/no-such-route'])(
    'sends Strict-Transport-Security on %s',
    async (path) => {
      const res = await fetch(`${secure.url}${path}`);
      expect(res.headers.get('strict-transport-security')).toBe(
        'max-age=31536000; includeSubDomains',
      );
    },
  );

  it('leaves the subdomains out with HSTS_INCLUDE_SUBDOMAINS=false', async () => {
    const res = await fetch(`${secureThisHostOnly.url}/health`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('sends neither with an http: BETTER_AUTH_URL (development)', async () => {
    const res = await signUpAt(plain, 'http://task-api.test');
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    for (const cookie of res.headers.getSetCookie()) expect(cookie).not.toMatch(/Secure/i);
  });
});
