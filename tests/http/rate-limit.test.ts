import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

async function signInAttempts(api: Api, count: number, forwardedFor?: (i: number) => string) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Origin: TEST_AUTH_URL,
    };
    if (forwardedFor) headers['X-Forwarded-For'] = forwardedFor(i);
    const res = await fetch(`${api.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'victim@example.com', password: `guess-number-${i}` }),
    });
    statuses.push(res.status);
  }
  return statuses;
}

describe('Better Auth rate limits in production', () => {
  let db: TestDatabase;
  let direct: RunningServer;
  let proxied: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('rate_limit');
    direct = await startTestService({ database: db.config, production: true });
    proxied = await startTestService({
      database: db.config,
      production: true,
      trustedProxies: ['127.0.0.1', '::1'],
    });
  });

  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
    await db?.drop();
  });

  it('answers a burst of sign-in attempts with 429, whatever X-Forwarded-For claims', async () => {
    const api = new Api(direct.url);
    expect(await signInAttempts(api, 4)).toEqual([401, 401, 401, 429]);
    // A client that is no proxy cannot pose as other addresses to get fresh buckets.
    expect(await signInAttempts(api, 3, (i) => `203.0.113.${i + 1}`)).toEqual([429, 429, 429]);
  });

  it('limits each client behind a trusted proxy by the address the proxy reports', async () => {
    const api = new Api(proxied.url);
    const one = await signInAttempts(api, 4, () => '198.51.100.7');
    expect(one).toEqual([401, 401, 401, 429]);
    const other = await signInAttempts(api, 1, () => '198.51.100.8');
    expect(other).toEqual([401]);
  });
});
