import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createSqliteDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

/** The embedded default: one process, revocations applied in memory and kept in the file. */
describe('revocation on SQLite', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let user: SignedInUser;

  beforeAll(async () => {
    db = createSqliteDatabase();
    service = await startTestService({ database: db.config });
    user = await signUp(new Api(service.url), 'Local');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const status = async (url: string) =>
    (await new Api(url).request('GET', `/api/${user.id}/tasks`, { token: user.token })).status;

  it('refuses a signed-out session’s token within 2 s, and still after a restart', async () => {
    expect(await status(service.url)).toBe(200);
    const signOut = await fetch(`${service.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: user.cookie },
      body: '{}',
    });
    expect(signOut.status).toBe(200);
    await eventually(async () => expect(await status(service.url)).toBe(401), 2_000);

    await service.close();
    service = await startTestService({ database: db.config });
    expect(await status(service.url)).toBe(401);
  });
});
