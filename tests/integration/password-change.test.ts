import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import {
  Api,
  fetchToken,
  sessionCookie,
  signUp,
  type SignedInUser,
} from '../support/api-client.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

const PASSWORD = 'correct-horse-battery-staple';

const databases: [string, () => Promise<TestDatabase>][] = [
  ['SQLite (the embedded default)', async () => createSqliteDatabase()],
  ['PostgreSQL', () => createPostgresDatabase('password_change')],
];

/**
 * Password changes and session ends, where Better Auth's transactions meet the API's own writes
 * (revocations, cut-offs, tasks): on SQLite both share one writer.
 */
describe.each(databases)('password changes and session ends on %s', (_name, create) => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;

  beforeAll(async () => {
    db = await create();
    service = await startTestService({ database: db.config });
    api = new Api(service.url);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const authPost = (path: string, cookie: string, body: unknown = {}) =>
    fetch(`${service.url}/api/auth${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: cookie },
      body: JSON.stringify(body),
    });

  const tasksStatus = async (user: SignedInUser, token = user.token) =>
    (await api.request('GET', `/api/${user.id}/tasks`, { token })).status;

  const mintStatus = async (cookie: string) =>
    (await fetch(`${service.url}/api/auth/token`, { headers: { Cookie: cookie } })).status;

  async function signIn(user: SignedInUser, password = PASSWORD): Promise<SignedInUser> {
    const res = await fetch(`${service.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
      body: JSON.stringify({ email: user.email, password }),
    });
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res.headers);
    return { ...user, cookie, token: await fetchToken(api, cookie) };
  }

  const signInStatus = async (user: SignedInUser, password: string) =>
    (
      await fetch(`${service.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({ email: user.email, password }),
      })
    ).status;

  it('changes the password with revokeOtherSessions and ends the other sessions', async () => {
    const user = await signUp(api, 'Changer');
    const other = await signIn(user);

    const res = await authPost('/change-password', user.cookie, {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}-2`,
      revokeOtherSessions: true,
    });

    expect(res.status).toBe(200);
    expect(await signInStatus(user, `${PASSWORD}-2`)).toBe(200);
    expect(await signInStatus(user, PASSWORD)).toBe(401);
    // The other device can neither mint a token nor use the one it has.
    expect(await mintStatus(other.cookie)).toBe(401);
    expect(await tasksStatus(other)).toBe(401);
    // The device that changed it carries on with its new session.
    const fresh = await fetchToken(api, sessionCookie(res.headers));
    expect(await tasksStatus(user, fresh)).toBe(200);
  });

  it('ends the other sessions by default when the change does not say', async () => {
    const user = await signUp(api, 'Default');
    const other = await signIn(user);

    const res = await authPost('/change-password', user.cookie, {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}-2`,
    });

    expect(res.status).toBe(200);
    expect(await mintStatus(other.cookie)).toBe(401);
    expect(await tasksStatus(other)).toBe(401);
    expect(await tasksStatus(user, await fetchToken(api, sessionCookie(res.headers)))).toBe(200);
  });

  it.each([
    [
      'a wrong current password',
      { currentPassword: 'not-the-password', newPassword: `${PASSWORD}-2` },
    ],
    ['a new password too short', { currentPassword: PASSWORD, newPassword: 'short' }],
  ])('leaves every device signed in after %s (400)', async (_case, body) => {
    const user = await signUp(api, 'Typo');
    const other = await signIn(user);

    const res = await authPost('/change-password', user.cookie, {
      ...body,
      revokeOtherSessions: true,
    });

    expect(res.status).toBe(400);
    expect(await tasksStatus(user)).toBe(200);
    expect(await tasksStatus(other)).toBe(200);
    expect(await mintStatus(other.cookie)).toBe(200);
    expect(await signInStatus(user, PASSWORD)).toBe(200);
  });

  it('cuts off, after a successful change, the tokens issued before it, in the same second too', async () => {
    const user = await signUp(api, 'Cutoff');
    const other = await signIn(user);

    const res = await authPost('/change-password', user.cookie, {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}-2`,
      revokeOtherSessions: false,
    });

    expect(res.status).toBe(200);
    // The other session stays (asked for), but no token from before the change works.
    expect(await tasksStatus(other)).toBe(401);
    expect(await tasksStatus(user)).toBe(401);
    expect(await tasksStatus(other, await fetchToken(api, other.cookie))).toBe(200);
  });

  it('answers 404, and ends nothing, for revoke-session with another user’s session', async () => {
    const alice = await signUp(api, 'Alice');
    const mallory = await signUp(api, 'Mallory');
    const sessions = await fetch(`${service.url}/api/auth/list-sessions`, {
      headers: { Cookie: alice.cookie },
    });
    const [aliceSession] = (await sessions.json()) as { token: string }[];
    expect(aliceSession).toBeDefined();

    const res = await authPost('/revoke-session', mallory.cookie, { token: aliceSession?.token });

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await res.json()).toMatchObject({ type: '/problems/session-not-found', status: 404 });
    expect(await mintStatus(alice.cookie)).toBe(200);
    expect(await tasksStatus(alice)).toBe(200);
    expect(await tasksStatus(mallory)).toBe(200);
    // The document says so.
    const document = (await (await fetch(`${service.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    expect(document.paths['/api/auth/revoke-session']?.post?.responses['404']?.description).toMatch(
      /not one of the signed-in user’s sessions/,
    );
    // Her own session is still hers to end.
    const own = await authPost('/revoke-session', alice.cookie, { token: aliceSession?.token });
    expect(own.status).toBe(200);
    expect(await mintStatus(alice.cookie)).toBe(401);
  });

  it('answers every one of 20 concurrent sign-ups, task writes and sign-outs with success', async () => {
    const users = await Promise.all(
      Array.from({ length: 5 }, (_, i) => signUp(api, `Writer ${i}`)),
    );
    const signUps = Array.from({ length: 20 }, async (_, i) => {
      const res = await fetch(`${service.url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({
          email: `crowd.${i}.${Date.now()}@example.com`,
          password: PASSWORD,
          name: `Crowd ${i}`,
        }),
      });
      return { what: 'sign-up', status: res.status };
    });
    const writes = users.flatMap((user) =>
      Array.from({ length: 4 }, async (_, i) => {
        const res = await api.request('POST', `/api/${user.id}/tasks`, {
          token: user.token,
          json: { title: `task ${i}` },
        });
        return { what: 'task write', status: res.status };
      }),
    );
    const leaving = await Promise.all(
      Array.from({ length: 5 }, (_, i) => signUp(api, `Leaving ${i}`)),
    );
    const signOuts = leaving.map(async (user) => {
      const res = await authPost('/sign-out', user.cookie);
      return { what: 'sign-out', status: res.status };
    });

    const answers = await Promise.all([...signUps, ...writes, ...signOuts]);

    expect(answers.filter(({ status }) => status >= 300)).toEqual([]);
    expect(answers.filter(({ what }) => what === 'task write')).toHaveLength(20);
    for (const user of leaving) expect(await mintStatus(user.cookie)).toBe(401);
  });
});

describe('with PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS=true', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;

  beforeAll(async () => {
    db = createSqliteDatabase();
    service = await startTestService({
      database: db.config,
      tokens: { passwordChangeKeepsOtherSessions: true },
    });
    api = new Api(service.url);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('keeps the other sessions of a change that does not say, and still cuts off their earlier tokens', async () => {
    const user = await signUp(api, 'Keeper');
    const signIn = await fetch(`${service.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    const otherCookie = sessionCookie(signIn.headers);
    const otherToken = await fetchToken(api, otherCookie);

    const res = await fetch(`${service.url}/api/auth/change-password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: user.cookie },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-2` }),
    });

    expect(res.status).toBe(200);
    const tasks = async (token: string) =>
      (await api.request('GET', `/api/${user.id}/tasks`, { token })).status;
    expect(await tasks(otherToken)).toBe(401);
    expect(await tasks(await fetchToken(api, otherCookie))).toBe(200);
  });
});

/** Better Auth's transaction holds a pooled connection while its hooks write: they share it. */
describe('password changes on a PostgreSQL pool of two connections', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('password_pool');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    service = await startTestService({ database: { ...db.config, poolSize: 2 } });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('answers six concurrent changes that end other sessions, none waiting for a third connection', async () => {
    const api = new Api(service.url);
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(api, `Pool ${i}`)));

    const statuses = await Promise.all(
      users.map(
        async (user) =>
          (
            await fetch(`${service.url}/api/auth/change-password`, {
              method: 'POST',
              headers: {
                'Content-Type': 'application/json',
                Origin: TEST_AUTH_URL,
                Cookie: user.cookie,
              },
              body: JSON.stringify({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-2` }),
            })
          ).status,
      ),
    );

    expect(statuses).toEqual(users.map(() => 200));
    for (const user of users) {
      expect(
        (await api.request('GET', `/api/${user.id}/tasks`, { token: user.token })).status,
      ).toBe(401);
    }
  });
});
