import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/infrastructure/observability/logger.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { rawRequest } from '../support/raw-http.js';
import { createSqliteDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly component?: string;
}

const WARN = 40;
const ERROR = 50;

/**
 * What a client sends must not choose an error-level line (an error means the service is broken)
 * nor fill the log with its own text: Better Auth's refusals of an origin or a callback URL are
 * warnings quoting at most 200 characters of it, control characters escaped.
 */
describe('Better Auth refusing what a client sent', () => {
  const lines: LogLine[] = [];
  let db: TestDatabase;
  let service: RunningServer;
  let user: SignedInUser;

  beforeAll(async () => {
    db = createSqliteDatabase();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as LogLine);
        }
        done();
      },
    });
    service = await startTestService({
      database: db.config,
      overrides: { logger: createLogger('debug', sink) },
    });
    user = await signUp(new Api(service.url), 'Refused');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** Log lines written while `act` ran. */
  async function logged(act: () => Promise<void>): Promise<LogLine[]> {
    const before = lines.length;
    await act();
    return lines.slice(before);
  }

  const quoteOf = (line: LogLine | undefined, prefix: string): string => {
    expect(line?.msg.startsWith(prefix)).toBe(true);
    return line?.msg.slice(prefix.length) ?? '';
  };

  it('logs an untrusted Origin as a warning, cut to 200 characters, controls escaped', async () => {
    const origin = `https://evil.example/\t\u009b31m${'a'.repeat(1_000)}`;
    const written = await logged(async () => {
      const res = await rawRequest(service.url, '/api/auth/sign-out', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin, Cookie: user.cookie },
      });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'INVALID_ORIGIN' });
    });
    expect(written.filter((line) => line.level >= ERROR)).toEqual([]);
    const refusal = written.find((line) => line.msg.startsWith('Invalid origin'));
    expect(refusal?.level).toBe(WARN);
    const quote = quoteOf(refusal, 'Invalid origin: ');
    expect(quote.startsWith('https://evil.example/\\u0009\\u009b31maaa')).toBe(true);
    expect(quote).toMatch(/a…$/);
    expect(quote.length).toBeLessThanOrEqual(200 + 2 * 5 + 1); // two controls, six characters each
    for (const line of written) expect(line.msg).not.toMatch(/[\t\u009b]|a{201}/);
  });

  it('logs an untrusted callbackURL as a warning, cut to 200 characters', async () => {
    const callbackURL = `https://evil.example/${'b'.repeat(5_000)}`;
    const written = await logged(async () => {
      const res = await fetch(`${service.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({
          email: user.email,
          password: 'correct-horse-battery-staple',
          callbackURL,
        }),
      });
      expect(res.status).toBe(403);
      await expect(res.json()).resolves.toMatchObject({ code: 'INVALID_CALLBACK_URL' });
    });
    expect(written.filter((line) => line.level >= ERROR)).toEqual([]);
    const refusal = written.find((line) => line.msg.startsWith('Invalid callbackURL'));
    expect(refusal?.level).toBe(WARN);
    const quote = quoteOf(refusal, 'Invalid callbackURL: ');
    expect(quote).toBe(`${callbackURL.slice(0, 200)}…`);
    for (const line of written) expect(line.msg).not.toMatch(/b{201}/);
  });

  it.each([
    ['a control character', `${TEST_AUTH_URL}/tasks\u001b[2J`],
    ['a line break', `${TEST_AUTH_URL}/tasks\r\nSet-Cookie: a=b`],
    ['a character beyond Latin-1', `${TEST_AUTH_URL}/t\u0101sks`],
    ['a line separator', '/tasks\u2028'],
  ])(
    '400, not a 500 with a stack, for a callbackURL on a trusted origin with %s',
    async (_case, callbackURL) => {
      const written = await logged(async () => {
        const res = await fetch(`${service.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
          body: JSON.stringify({
            email: user.email,
            password: 'correct-horse-battery-staple',
            callbackURL,
          }),
        });
        expect(res.status).toBe(400);
        await expect(res.json()).resolves.toMatchObject({
          code: 'INVALID_CALLBACK_URL',
          message: expect.stringMatching(/percent-encode/),
        });
      });
      expect(written.filter((line) => line.level >= ERROR)).toEqual([]);
    },
  );

  it('still signs in from the trusted origin, with nothing logged above info', async () => {
    const written = await logged(async () => {
      const res = await fetch(`${service.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({
          email: user.email,
          password: 'correct-horse-battery-staple',
          callbackURL: `${TEST_AUTH_URL}/tasks?q=a%20b`,
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBe(`${TEST_AUTH_URL}/tasks?q=a%20b`);
    });
    expect(written.filter((line) => line.level >= WARN)).toEqual([]);
  });
});
