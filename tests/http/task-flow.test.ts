import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

interface TaskJson {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

interface PageJson {
  items: TaskJson[];
  nextCursor: string | null;
}

const databases: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createPostgresDatabase('http_flow')],
  ['SQLite', async () => createSqliteDatabase()],
];

describe.each(databases)('the task flow on %s', (_name, createDatabase) => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let ada: SignedInUser;

  beforeAll(async () => {
    db = await createDatabase();
    service = await startTestService({ database: db.config });
    api = new Api(service.url);
    ada = await signUp(api, 'Ada');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('issues a JWT whose claims name the user, for 24 hours, from this issuer', async () => {
    const [, payload] = ada.token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      sub: ada.id,
      user_id: ada.id,
      email: ada.email,
      name: 'Ada',
      iss: TEST_AUTH_URL,
      aud: TEST_AUTH_URL,
    });
    expect(claims.exp - claims.iat).toBe(24 * 60 * 60);
    const header = JSON.parse(Buffer.from(ada.token.split('.')[0] ?? '', 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
  });

  it('publishes the public signing key at /api/auth/jwks', async () => {
    const res = await api.request<{ keys: Record<string, string>[] }>('GET', '/api/auth/jwks');
    expect(res.status).toBe(200);
    expect(res.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(res.body.keys[0]).not.toHaveProperty('d');
  });

  it('answers GET /api/me from the token', async () => {
    const res = await api.request('GET', '/api/me', { token: ada.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ada.id, email: ada.email, name: 'Ada' });
  });

  it('creates, reads, replaces, patches, toggles and deletes a task', async () => {
    const base = `/api/${ada.id}/tasks`;
    const created = await api.request<TaskJson>('POST', base, {
      token: ada.token,
      json: { title: '  Write the report  ', description: 'Quarterly numbers' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: ada.id,
      title: 'Write the report',
      description: 'Quarterly numbers',
      completed: false,
      createdAt: expect.any(String),
      updatedAt: created.body.createdAt,
    });
    const url = `${base}/${created.body.id}`;
    expect(created.headers.get('location')).toBe(url);

    const read = await api.request<TaskJson>('GET', url, { token: ada.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const replaced = await api.request<TaskJson>('PUT', url, {
      token: ada.token,
      json: { title: 'Write the annual report', description: null, completed: true },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      title: 'Write the annual report',
      description: null,
      completed: true,
    });

    const patched = await api.request<TaskJson>('PATCH', url, {
      token: ada.token,
      json: { description: 'Due Friday' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      title: 'Write the annual report',
      description: 'Due Friday',
      completed: true,
    });

    const toggled = await api.request<TaskJson>('PATCH', `${url}/complete`, { token: ada.token });
    expect(toggled.status).toBe(200);
    expect(toggled.body.completed).toBe(false);
    const toggledBack = await api.request<TaskJson>('PATCH', `${url}/complete`, {
      token: ada.token,
    });
    expect(toggledBack.body.completed).toBe(true);

    const deleted = await api.request('DELETE', url, { token: ada.token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    const gone = await api.request('GET', url, { token: ada.token });
    expect(gone.status).toBe(404);
  });

  it('lists with filters, sorting and a cursor that walks every task exactly once', async () => {
    const grace = await signUp(api, 'Grace');
    const base = `/api/${grace.id}/tasks`;
    const titles = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
    for (const title of titles) {
      await api.request('POST', base, { token: grace.token, json: { title } });
    }
    const all = await api.request<PageJson>('GET', base, { token: grace.token });
    // Default order: newest first; tasks created in the same millisecond fall back to id order.
    const newestFirst = [...all.body.items].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    expect(all.body.items).toEqual(newestFirst);
    expect(all.body.items.map((t) => t.title).sort()).toEqual([...titles].sort());
    expect(all.body.nextCursor).toBeNull();

    const first = all.body.items.find((t) => t.title === 'alpha');
    await api.request('PATCH', `${base}/${first?.id}/complete`, { token: grace.token });
    const done = await api.request<PageJson>('GET', `${base}?status=completed`, {
      token: grace.token,
    });
    expect(done.body.items.map((t) => t.title)).toEqual(['alpha']);
    const pending = await api.request<PageJson>('GET', `${base}?status=pending`, {
      token: grace.token,
    });
    expect(pending.body.items).toHaveLength(4);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?sort=title&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: PageJson } = await api.request<PageJson>('GET', base + query, {
        token: grace.token,
      });
      seen.push(...page.body.items.map((t) => t.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });
});
