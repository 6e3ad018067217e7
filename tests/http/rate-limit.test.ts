import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import type { OpenApiDocument } from '../../src/interfaces/http/openapi/openapi-document.js';
import { Api } from '../support/api-client.js';
import { OpenApiContract } from '../support/openapi-contract.js';
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

  it('says when to retry in Retry-After, as the document says', async () => {
    const api = new Api(direct.url);
    const res = await fetch(`${api.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
      body: JSON.stringify({ email: 'victim@example.com', password: 'one-guess-too-many' }),
    });
    expect(res.status).toBe(429); // the bucket the first test emptied
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(res.headers.get('Retry-After')).toBe(res.headers.get('X-Retry-After'));
    const document = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as OpenApiDocument;
    const answer = { status: res.status, headers: res.headers, body: await res.json() };
    const contract = new OpenApiContract(document);
    expect(contract.problemsOf('POST', '/api/auth/sign-in/email', answer)).toEqual([]);
    expect(contract.checked).toBe(1);
    const withoutIt = new Headers(res.headers);
    withoutIt.delete('Retry-After');
    expect(
      contract.problemsOf('POST', '/api/auth/sign-in/email', { ...answer, headers: withoutIt }),
    ).toEqual([expect.stringMatching(/no Retry-After header/)]);
  });

  it('limits each client behind a trusted proxy by the address the proxy reports', async () => {
    const api = new Api(proxied.url);
    const one = await signInAttempts(api, 4, () => '198.51.100.7');
    expect(one).toEqual([401, 401, 401, 429]);
    const other = await signInAttempts(api, 1, () => '198.51.100.8');
    expect(other).toEqual([401]);
  });
});
