import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_SECRET } from '../support/test-service.js';

const run = promisify(execFile);
const ROOT = resolve('.');
const bin = (path: string) => join(ROOT, 'node_modules', path);

/**
 * A consumer's program, written against nothing but the types openapi-typescript generates from
 * /openapi.json: from no account to a token, then the task flow. Every request and answer is
 * typed by the document; the `@ts-expect-error` lines prove the types are real (the compiler
 * fails on an unused one).
 */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const [baseUrl = ''] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl });
const origin = { Origin: baseUrl };
const steps: Record<string, unknown> = {};

// Sign up: Better Auth answers the user and sets the session cookie.
const signedUp = await client.POST('/api/auth/sign-up/email', {
  body: { name: 'Generated Client', email: \`generated-\${Date.now()}@example.com\`, password: 'correct-horse-battery-staple' },
  headers: origin,
});
if (!signedUp.data) throw new Error(\`sign-up: \${signedUp.response.status}\`);
const userId: string = signedUp.data.user.id;
const cookie = signedUp.response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
steps.signUp = signedUp.response.status;

// The session cookie for a JWT.
const issued = await client.GET('/api/auth/token', { headers: { Cookie: cookie } });
if (!issued.data?.token) throw new Error(\`token: \${issued.response.status}\`);
const bearer = { Authorization: \`Bearer \${issued.data.token}\` };
steps.token = issued.response.status;

const created = await client.POST('/api/{userId}/tasks', {
  params: { path: { userId } },
  body: { title: 'Pay rent', priority: 'high', tags: ['home'], dueAt: '2020-01-01T09:00:00Z' },
  headers: bearer,
});
if (!created.data) throw new Error(\`create: \${created.response.status}\`);
const taskId: string = created.data.id;
steps.create = [created.response.status, created.data.title, created.data.version];

const listed = await client.GET('/api/{userId}/tasks', {
  params: { path: { userId }, query: { limit: 20, overdue: false } },
  headers: bearer,
});
if (!listed.data) throw new Error(\`list: \${listed.response.status}\`);
const overdue = await client.GET('/api/{userId}/tasks', {
  params: { path: { userId }, query: { limit: 20, overdue: true } },
  headers: bearer,
});
steps.list = [listed.response.status, listed.data.items.length, overdue.data?.items.map((t) => t.title)];

const etag = created.response.headers.get('ETag') ?? '';
const edited = await client.PATCH('/api/{userId}/tasks/{taskId}', {
  params: { path: { userId, taskId }, header: { 'If-Match': etag } },
  body: { title: 'Pay the rent', completed: true },
  headers: bearer,
});
if (!edited.data) throw new Error(\`edit: \${edited.response.status}\`);
const stale = await client.PATCH('/api/{userId}/tasks/{taskId}', {
  params: { path: { userId, taskId }, header: { 'If-Match': etag } },
  body: { title: 'Lost update' },
  headers: bearer,
});
steps.edit = [edited.response.status, edited.data.title, edited.data.completed, stale.response.status, stale.error?.type];

const deleted = await client.DELETE('/api/{userId}/tasks/{taskId}', {
  params: { path: { userId, taskId }, header: { 'If-Match': edited.response.headers.get('ETag') ?? '' } },
  headers: bearer,
});
const gone = await client.GET('/api/{userId}/tasks/{taskId}', { params: { path: { userId, taskId } }, headers: bearer });
steps.delete = [deleted.response.status, gone.response.status];

console.log(JSON.stringify(steps));

/** Never called: what the generated types refuse. */
export function refused(): void {
  // @ts-expect-error limit is an integer, not text
  void client.GET('/api/{userId}/tasks', { params: { path: { userId }, query: { limit: '20' } } });
  // @ts-expect-error overdue is a boolean
  void client.GET('/api/{userId}/tasks', { params: { path: { userId }, query: { overdue: 'false' } } });
  // @ts-expect-error priority is one of low, medium, high
  void client.POST('/api/{userId}/tasks', { params: { path: { userId } }, body: { title: 'x', priority: 'urgent' } });
  // @ts-expect-error a task has no such field
  void created.data?.owner;
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    skipLibCheck: true,
  },
  files: ['program.ts', 'api.d.ts'],
};

describe('a client generated from /openapi.json (openapi-typescript + openapi-fetch)', () => {
  let db: TestDatabase;
  let api: RunningProcess;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    db = await createPostgresDatabase('e2e_generated_client');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const port = await freePort();
    const started = await startApiProcess({
      PORT: String(port),
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
      BETTER_AUTH_SECRET: TEST_SECRET,
    });
    api = started.process;
    url = started.url;
    // The consumer's project: its own folder, the packages it would install linked in.
    dir = mkdtempSync(join(tmpdir(), 'task-api-generated-client-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  });

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('types the whole flow from the document, compiles under --strict and runs it against the service', async () => {
    await run(process.execPath, [
      bin('openapi-typescript/bin/cli.js'),
      `${url}/openapi.json`,
      '--output',
      join(dir, 'api.d.ts'),
    ]);
    writeFileSync(join(dir, 'program.ts'), PROGRAM);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    // Fails the test (with the compiler's words) unless the program compiles.
    await run(process.execPath, [bin('typescript/bin/tsc'), '-p', dir, '--strict', '--noEmit'], {
      cwd: dir,
    }).catch((error: { stdout?: string }) => {
      throw new Error(`the generated client's program does not compile:\n${error.stdout}`);
    });
    await run(bin('.bin/esbuild'), [
      join(dir, 'program.ts'),
      '--format=esm',
      '--platform=node',
      `--outfile=${join(dir, 'program.js')}`,
      '--log-level=warning',
    ]);
    const { stdout } = await run(process.execPath, [join(dir, 'program.js'), url], { cwd: dir });

    const steps = JSON.parse(stdout) as Record<string, unknown>;
    expect(steps).toEqual({
      signUp: 200,
      token: 200,
      create: [201, 'Pay rent', 1],
      list: [200, 1, ['Pay rent']],
      edit: [200, 'Pay the rent', true, 412, '/problems/precondition-failed'],
      delete: [204, 404],
    });
  }, 180_000);
});
