import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RunningServer } from '../../src/server.js';
import {
  Api,
  fetchToken,
  sessionCookie,
  signUp,
  type SignedInUser,
} from '../support/api-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

const PASSWORD = 'correct-horse-battery-staple';
/** The promise: a revocation on one instance reaches every other one within 2 s. */
const WITHIN_MS = 2_000;

/** Two instances behind one load balancer, each keeping its own revocation list. */
describe('revocation across two instances on one PostgreSQL database', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let a: RunningServer;
  let b: RunningServer;
  let apiA: Api;
  let apiB: Api;

  beforeAll(async () => {
    db = await createPostgresDatabase('revocation');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    a = await startTestService({ database: db.config });
    b = await startTestService({ database: db.config });
    apiA = new Api(a.url);
    apiB = new Api(b.url);
    admin = new pg.Client({ connectionString: db.config.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  const status = async (api: Api, user: SignedInUser, token = user.token) =>
    (await api.request('GET', `/api/${user.id}/tasks`, { token })).status;

  async function expectRefusedOn(api: Api, user: SignedInUser, token = user.token) {
    await eventually(async () => expect(await status(api, user, token)).toBe(401), WITHIN_MS);
    const res = await api.request('GET', '/api/me', { token });
    expect(res.headers.get('www-authenticate')).toMatch(
      /error="invalid_token", error_description="The session of this token has ended"/,
    );
  }

  /** A second session of the same user (another device), with its own token. */
  async function signIn(api: Api, user: SignedInUser): Promise<SignedInUser> {
    const res = await fetch(`${api.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res.headers);
    return { ...user, cookie, token: await fetchToken(api, cookie) };
  }

  const authPost = (api: Api, path: string, cookie: string, body: unknown = {}) =>
    fetch(`${api.baseUrl}/api/auth${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: cookie },
      body: JSON.stringify(body),
    });

  it('puts the session id in every token', async () => {
    const user = await signUp(apiA, 'Claims');
    const claims = JSON.parse(Buffer.from(user.token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims.sid).toEqual(expect.any(String));
    const session = await fetch(`${a.url}/api/auth/get-session`, {
      headers: { Cookie: user.cookie },
    }).then((res) => res.json() as Promise<{ session: { id: string; token: string } }>);
    expect(claims.sid).toBe(session.session.id);
    expect(JSON.stringify(claims)).not.toContain(session.session.token);
  });

  it('refuses on B, within 2 s, a token whose session signed out on A; another session still works', async () => {
    const user = await signUp(apiA, 'Leaver');
    const laptop = await signIn(apiA, user);
    expect(await status(apiB, user)).toBe(200); // B has checked, and remembers, this token

    expect((await authPost(apiA, '/sign-out', user.cookie)).status).toBe(200);

    await expectRefusedOn(apiB, user);
    await expectRefusedOn(apiA, user);
    expect(await status(apiB, laptop)).toBe(200);
  });

  it('refuses every token of the user after revoke-sessions', async () => {
    const user = await signUp(apiA, 'Revoker');
    const phone = await signIn(apiB, user);
    expect((await authPost(apiA, '/revoke-sessions', user.cookie)).status).toBe(200);
    await expectRefusedOn(apiB, user);
    await expectRefusedOn(apiB, phone);
  });

  it('refuses every earlier token after revoke-sessions, past Better Auth’s 100 sessions a hook sees', async () => {
    const user = await signUp(apiA, 'Many devices');
    const devices = [];
    for (let i = 0; i < 101; i++) devices.push(await signIn(apiA, user));
    const last = devices.at(-1);
    if (!last) throw new Error('no device');
    expect(await status(apiB, user, last.token)).toBe(200);
    expect((await authPost(apiA, '/revoke-sessions', user.cookie)).status).toBe(200);
    await expectRefusedOn(apiB, user, last.token);
    await expectRefusedOn(apiB, user, devices[0]?.token);
  });

  it('fails the sign-out, and keeps the session, when its revocation cannot be written', async () => {
    const user = await signUp(apiA, 'Unrecorded');
    await admin.query('alter table "token_revocation" rename to "token_revocation_away"');
    let signOut: Response;
    try {
      signOut = await authPost(apiA, '/sign-out', user.cookie);
    } finally {
      await admin.query('alter table "token_revocation_away" rename to "token_revocation"');
    }
    expect(signOut.status).toBeGreaterThanOrEqual(500);
    // Nothing half done: the session still stands, so the sign-out can simply be tried again.
    expect((await fetchToken(apiA, user.cookie)).length).toBeGreaterThan(0);
    expect((await authPost(apiA, '/sign-out', user.cookie)).status).toBe(200);
    await expectRefusedOn(apiB, user);
  });

  it('refuses the other sessions’ tokens after change-password, and takes a token fetched after it', async () => {
    const user = await signUp(apiA, 'Changer');
    const other = await signIn(apiA, user);
    const res = await authPost(apiA, '/change-password', user.cookie, {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}-2`,
      revokeOtherSessions: true,
    });
    expect(res.status).toBe(200);
    await expectRefusedOn(apiB, other);
    // Tokens from before the change are cut off, this session's own included...
    await expectRefusedOn(apiB, user);
    // ...and one fetched right after the change works, on either instance.
    const fresh = await fetchToken(apiA, sessionCookie(res.headers) || user.cookie);
    expect(await status(apiB, user, fresh)).toBe(200);
    expect(await status(apiA, user, fresh)).toBe(200);
  });

  it('refuses every token of a deleted user, and erases their tasks', async () => {
    const user = await signUp(apiA, 'Erased');
    const tasks = `/api/${user.id}/tasks`;
    await apiA.request('POST', tasks, { token: user.token, json: { title: 'Personal data' } });
    expect((await authPost(apiA, '/delete-user', user.cookie)).status).toBe(200);

    await expectRefusedOn(apiB, user);
    const { rows } = await admin.query('select count(*)::int as n from task where user_id = $1', [
      user.id,
    ]);
    expect(rows[0]?.n).toBe(0);
  });

  it('applies a revocation written while its listener was cut off, once it reconnects', async () => {
    const user = await signUp(apiA, 'Reconnect');
    expect(await status(apiB, user)).toBe(200);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'task-api-listen' and datname = current_database()`,
    );
    expect((await authPost(apiA, '/sign-out', user.cookie)).status).toBe(200);
    await eventually(async () => expect(await status(apiB, user)).toBe(401), 10_000);
  });

  it('refuses, on an instance started after the revocation, that token', async () => {
    const user = await signUp(apiA, 'Late');
    expect((await authPost(apiA, '/sign-out', user.cookie)).status).toBe(200);
    const late = await startTestService({ database: db.config });
    try {
      expect(await status(new Api(late.url), user)).toBe(401);
    } finally {
      await late.close();
    }
  });
});

/** Past REVOCATION_MAX_STALENESS_SECONDS without confirming its list, an instance trusts no token. */
describe('an instance that cannot confirm its revocation list', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;

  beforeAll(async () => {
    db = await createPostgresDatabase('revocation_stale');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const target = new URL(db.config.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const listenUrl = new URL(db.config.url);
    listenUrl.host = `127.0.0.1:${proxy.listeningPort}`;
    service = await startTestService({
      database: { ...db.config, listenUrl: listenUrl.toString() },
      revocationMaxStalenessSeconds: 5,
    });
    api = new Api(service.url);
    user = await signUp(api, 'Stale');
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('gives up on a listening connection that went silent, and opens a new one', async () => {
    const tasks = `/api/${user.id}/tasks`;
    expect((await api.request('GET', tasks, { token: user.token })).status).toBe(200);
    proxy.blackhole();
    // The poll's own deadline notices what no error reports: the list stays confirmed.
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await api.request('GET', tasks, { token: user.token })).status).toBe(200);
    }
  });

  it('answers 503 while it cannot, and heals once it can again', async () => {
    const tasks = `/api/${user.id}/tasks`;
    expect((await api.request('GET', tasks, { token: user.token })).status).toBe(200);
    await proxy.cut();
    await eventually(async () => {
      const res = await api.request<{ detail: string }>('GET', tasks, { token: user.token });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.detail).toMatch(/which sessions have ended/);
    }, 20_000);
    await proxy.restore();
    await eventually(
      async () => expect((await api.request('GET', tasks, { token: user.token })).status).toBe(200),
      20_000,
    );
  });
});
