import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Api, sessionCookie, signUp, fetchToken } from '../support/api-client.js';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_AUTH_URL, TEST_SECRET } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

/** Records every module the service process imports (see record-imports.mjs). */
const RECORD_IMPORTS = `--import=${resolve('tests/support/record-imports.mjs')}`;

/** A W3C traceparent a caller (a gateway, a frontend's tracer) sends, sampled. */
function callerTrace(): { traceparent: string; traceId: string; parentId: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceparent: `00-${traceId}-${parentId}-01`, traceId, parentId };
}

/** The spans of one trace, and ways to walk it. */
class Trace {
  constructor(readonly spans: readonly ReceivedSpan[]) {}

  named(name: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.name === name);
  }

  one(name: string): ReceivedSpan {
    const found = this.named(name);
    if (found.length !== 1) {
      throw new Error(`${found.length} spans named ${name} in ${this.spans.map((s) => s.name)}`);
    }
    return found[0]!;
  }

  childrenOf(parent: ReceivedSpan): ReceivedSpan[] {
    return this.spans.filter((span) => span.parentSpanId === parent.spanId);
  }

  /** Whether `span` descends from `ancestor` through spans of this trace. */
  descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan): boolean {
    for (let at: ReceivedSpan | undefined = span; at;) {
      if (at.parentSpanId === ancestor.spanId) return true;
      at = this.spans.find((candidate) => candidate.spanId === at?.parentSpanId);
    }
    return false;
  }
}

describe('traces exported over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  const receiver = new OtlpReceiver();
  const importLog = join(mkdtempSync(join(tmpdir(), 'task-api-imports-')), 'imports.txt');
  let db: TestDatabase;
  let service: { process: RunningProcess; url: string };

  beforeAll(async () => {
    const endpoint = await receiver.start();
    db = await createPostgresDatabase('tracing');
    if (db.config.kind !== 'postgres') throw new Error('a PostgreSQL database was asked for');
    service = await startApiProcess({
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: TEST_AUTH_URL,
      BETTER_AUTH_SECRET: TEST_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      NODE_OPTIONS: RECORD_IMPORTS,
      IMPORT_LOG: importLog,
    });
  });

  afterAll(async () => {
    await service?.process.stop();
    await db?.drop();
    await receiver.stop();
    rmSync(join(importLog, '..'), { recursive: true, force: true });
  });

  it('traces a sign-in and a list as trees under the caller’s trace, with no user data in any span', async () => {
    const api = new Api(service.url);
    const user = await signUp(api, 'Traced Person');
    const signIn = callerTrace();
    const signedIn = await fetch(`${service.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: TEST_AUTH_URL,
        traceparent: signIn.traceparent,
      },
      body: JSON.stringify({ email: user.email, password: 'correct-horse-battery-staple' }),
    });
    expect(signedIn.status).toBe(200);
    const token = await fetchToken(api, sessionCookie(signedIn.headers));
    const title = `Collect the parcel ${randomBytes(4).toString('hex')}`;
    const create = callerTrace();
    const created = await api.request('POST', `/api/${user.id}/tasks`, {
      token,
      json: { title },
      headers: { traceparent: create.traceparent },
    });
    expect(created.status).toBe(201);
    const list = callerTrace();
    const listed = await api.request<{ items: { title: string }[] }>(
      'GET',
      `/api/${user.id}/tasks`,
      { token, headers: { traceparent: list.traceparent } },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((task) => task.title)).toEqual([title]);

    const traceOf = (traceId: string) =>
      new Trace(receiver.spans.filter((span) => span.traceId === traceId));
    const complete = (traceId: string) =>
      traceOf(traceId).spans.some((span) => span.kind === 2 && span.parentSpanId !== '');
    await eventually(async () => {
      expect([signIn, create, list].every(({ traceId }) => complete(traceId))).toBe(true);
    });

    // The sign-in: the server span continues the caller's; Better Auth and its queries below it.
    const signInTrace = traceOf(signIn.traceId);
    const signInSpan = signInTrace.one('POST /api/auth/sign-in/email');
    expect(signInSpan).toMatchObject({ kind: 2, parentSpanId: signIn.parentId });
    expect(signInSpan.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/auth/sign-in/email',
      'http.response.status_code': 200,
    });
    const betterAuth = signInTrace.one('better-auth');
    expect(betterAuth.parentSpanId).toBe(signInSpan.spanId);
    expect(betterAuth.attributes['better_auth.endpoint']).toBe('/api/auth/sign-in/email');
    const authQueries = signInTrace.spans.filter((span) => span.name.startsWith('pg.query'));
    expect(authQueries.length).toBeGreaterThan(0);
    for (const query of authQueries) expect(signInTrace.descendsFrom(query, betterAuth)).toBe(true);

    // The token's first use: a full check of its signature (and the key set fetched for it).
    const createTrace = traceOf(create.traceId);
    const createSpan = createTrace.one('POST /api/:userId/tasks');
    const firstCheck = createTrace.one('verify token');
    expect(firstCheck.parentSpanId).toBe(createSpan.spanId);
    expect(firstCheck.attributes['token.memo']).toBe('miss');
    const signature = createTrace.one('check token signature');
    expect(signature.parentSpanId).toBe(firstCheck.spanId);
    expect(createTrace.one('fetch key set').parentSpanId).toBe(signature.spanId);

    // The list: its server span, the token from the memo, its queries, all in the caller's trace.
    const listTrace = traceOf(list.traceId);
    const listSpan = listTrace.one('GET /api/:userId/tasks');
    expect(listSpan).toMatchObject({ kind: 2, parentSpanId: list.parentId });
    expect(listSpan.attributes).toMatchObject({
      'http.route': '/api/:userId/tasks',
      'http.response.status_code': 200,
    });
    const verify = listTrace.one('verify token');
    expect(verify.parentSpanId).toBe(listSpan.spanId);
    expect(verify.attributes['token.memo']).toBe('hit');
    expect(listTrace.named('check token signature')).toEqual([]);
    const listQueries = listTrace.spans.filter((span) => span.name.startsWith('pg.query'));
    expect(listQueries.length).toBeGreaterThan(0);
    for (const query of listQueries) expect(listTrace.descendsFrom(query, listSpan)).toBe(true);
    // The statement's text, with `?` where MikroORM wrote the values into it.
    expect(listQueries.map((query) => query.attributes['db.query.text'])).toContainEqual(
      expect.stringMatching(/^select \* from "task" where "user_id" = \? order by/),
    );

    // Nothing a user sent or owns is in any span: not the token, the email, the password, the
    // title, the user's id or name.
    const secrets = [token, user.email, 'correct-horse-battery-staple', title, user.id, user.name];
    const values = receiver.spans.flatMap((span) =>
      Object.values(span.attributes).map((value) => JSON.stringify(value)),
    );
    expect(values.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(values.filter((value) => value.includes(secret))).toEqual([]);
    }
    expect(receiver.spans.filter((s) => secrets.some((x) => s.name.includes(x)))).toEqual([]);

    // Every log line of the list request carries its trace id.
    const lines = service.process
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; trace_id?: string; path?: string });
    const requestLines = lines.filter((line) => line.trace_id === list.traceId);
    expect(requestLines).toEqual([
      expect.objectContaining({ msg: 'request', path: '/api/:userId/tasks' }),
    ]);
  });

  it('loads OpenTelemetry (what the untraced run below must not)', () => {
    expect(readFileSync(importLog, 'utf8')).toMatch(/@opentelemetry\/sdk-node/);
  });
});

describe('a traced service stopped with SIGTERM', () => {
  it('sends the spans it still holds before it exits', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    const dir = mkdtempSync(join(tmpdir(), 'task-api-traced-stop-'));
    try {
      const { process: proc, url } = await startApiProcess({
        DATA_DIR: dir,
        SHUTDOWN_DELAY_SECONDS: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // No batch would leave before the process ends: only the shutdown sends it.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      });
      const caller = callerTrace();
      expect(
        (await fetch(`${url}/health`, { headers: { traceparent: caller.traceparent } })).status,
      ).toBe(200);
      expect(receiver.spans).toEqual([]);
      expect(await proc.stop()).toBe(0);
      expect(receiver.spans).toContainEqual(
        expect.objectContaining({
          name: 'GET /health',
          traceId: caller.traceId,
          parentSpanId: caller.parentId,
        }),
      );
    } finally {
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a service without OTEL_* variables', () => {
  it('imports no OpenTelemetry SDK, exporter or instrumentation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-api-untraced-'));
    const importLog = join(dir, 'imports.txt');
    const { process: proc, url } = await startApiProcess({
      DATA_DIR: dir,
      NODE_OPTIONS: RECORD_IMPORTS,
      IMPORT_LOG: importLog,
    });
    try {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const imports = readFileSync(importLog, 'utf8');
      expect(imports).toMatch(/\/dist\/server\.js/); // the recorder saw the service load
      // Better Auth imports OpenTelemetry's API, which does nothing without an SDK registered;
      // the SDK, its exporters and instrumentations are this service's, and stay unloaded.
      expect(imports).toMatch(/@opentelemetry\/api\//);
      expect(imports.match(/@opentelemetry\/(?!api\/)[\w-]+/g)).toBeNull();
      expect(proc.stdout()).not.toMatch(/trace_id/);
    } finally {
      expect(await proc.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
