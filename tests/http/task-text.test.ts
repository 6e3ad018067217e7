import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';

interface ProblemJson {
  status: number;
  detail: string;
  errors?: { field: string; detail: string }[];
}

describe('task text that renders safely', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let user: SignedInUser;
  let tasks: string;

  beforeAll(async () => {
    db = await createPostgresDatabase('task_text');
    service = await startTestService({ database: db.config });
    api = new Api(service.url);
    user = await signUp(api, 'Text');
    tasks = `/api/${user.id}/tasks`;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** Sends raw bytes as a JSON body, as a client with a broken encoder would. */
  function postBytes(body: Buffer, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${service.url}${tasks}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${user.token}`,
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          ...headers,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it.each([
    ['a terminal escape in the title', { title: 'Pay \u001b[31mnow' }, 'title', /control/],
    ['a C1 control in the title', { title: 'a\u009bb' }, 'title', /control/],
    ['a tab in the title', { title: 'a\tb' }, 'title', /control/],
    ['a bidi override in the title', { title: 'invoice\u202efdp.exe' }, 'title', /bidirectional/],
    ['a bidi isolate in the title', { title: 'a\u2066b' }, 'title', /bidirectional/],
    [
      'an escape in the description',
      { title: 'ok', description: '\u001b]0;x\u0007' },
      'description',
      /control/,
    ],
    [
      'a bidi override in the description',
      { title: 'ok', description: '\u202d' },
      'description',
      /bidirectional/,
    ],
    ['a title of a zero-width space', { title: '\u200b' }, 'title', /^must not be empty$/],
    [
      'a title of joiners and a BOM',
      { title: ' \u200c\u200d\ufeff\u2060 ' },
      'title',
      /^must not be empty$/,
    ],
  ])('422 naming the field for %s', async (_case, json, field, detail) => {
    const res = await api.request<ProblemJson>('POST', tasks, { token: user.token, json });
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.field).toBe(field);
    expect(res.body.errors?.[0]?.detail).toMatch(detail);
  });

  it.each([
    ['a direction mark in the title', { title: 'invoice\u200etxt.exe' }, 'title', /U\+200E/],
    ['an Arabic letter mark in the title', { title: 'a\u061cb' }, 'title', /U\+061C/],
    ['a line separator in the title', { title: 'a\u2028b' }, 'title', /separators/],
    [
      'a paragraph separator in the description',
      { title: 'ok', description: 'a\u2029b' },
      'description',
      /separators/,
    ],
    ['a noncharacter in the title', { title: 'a\uffffb' }, 'title', /noncharacters/],
    ['an annotation character in the title', { title: 'a\ufff9b' }, 'title', /annotation/],
    ['a private-use character in the title', { title: 'a\ue000b' }, 'title', /private-use/],
    [
      'hidden tag characters in the description',
      { title: 'ok', description: 'hi\u{e0069}\u{e0067}\u{e006e}' },
      'description',
      /tag characters/,
    ],
    ['stacked marks in the title', { title: `Z${'\u0336'.repeat(40)}` }, 'title', /40 in a row/],
    [
      'a title of only the braille blank',
      { title: '\u2800\u2800' },
      'title',
      /^must not be empty$/,
    ],
    ['a title of only a Hangul filler', { title: '\u3164' }, 'title', /^must not be empty$/],
    ['a title of only combining marks', { title: '\u0301\u0302' }, 'title', /a letter, digit/],
    [
      'a tag ending in a Hangul filler',
      { title: 'ok', tags: ['work\u3164'] },
      'tags.0',
      /invisible/,
    ],
    [
      'a tag ending in a variation selector',
      { title: 'ok', tags: ['work\ufe0f'] },
      'tags.0',
      /U\+FE0F/,
    ],
    [
      'a tag with a mark after "-"',
      { title: 'ok', tags: ['a-\u0301'] },
      'tags.0',
      /after a letter/,
    ],
  ])('422 naming the field for %s', async (_case, json, field, detail) => {
    const res = await api.request<ProblemJson>('POST', tasks, { token: user.token, json });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field, detail: expect.stringMatching(detail) }]);
  });

  it('stores emoji sequences, right-to-left text and scripts with marks as sent', async () => {
    const title = '👨‍👩‍👧 ❤️ 🏴󠁧󠁢󠁥󠁮󠁧󠁿 שָׁלוֹם مرحبا می‌خواهم हिंदी ภาษาไทย 東京';
    const description = 'Call 🧑🏽‍💻\nשלום, עולם\n🏳️‍🌈';
    const res = await api.request<{ title: string; description: string; tags: string[] }>(
      'POST',
      tasks,
      { token: user.token, json: { title, description, tags: ['हिंदी', 'น้ำ', 'ｗｏｒｋ', '日本'] } },
    );
    expect(res.status).toBe(201);
    // NFKC writes Thai SARA AM (U+0E33) as the two characters it is drawn with, U+0E4D U+0E32.
    const thai = 'น\u0e49\u0e4d\u0e32';
    expect(res.body).toMatchObject({ title, description, tags: ['हिंदी', thai, 'work', '日本'] });
  });

  it('filters by a tag as it is normalized, and refuses one with a filler', async () => {
    const created = await api.request<{ id: string }>('POST', tasks, {
      token: user.token,
      json: { title: 'tagged', tags: ['ｆｕｌｌ'] },
    });
    const found = await api.request<{ items: { id: string }[] }>('GET', `${tasks}?tag=FULL`, {
      token: user.token,
    });
    expect(found.body.items.map((t) => t.id)).toEqual([created.body.id]);

    const filler = await api.request<ProblemJson>(
      'GET',
      `${tasks}?tag=${encodeURIComponent('full\u3164')}`,
      { token: user.token },
    );
    expect(filler.status).toBe(422);
    expect(filler.body.errors?.[0]).toMatchObject({ field: 'query.tag' });
  });

  it('422 for the same characters sent through PATCH and PUT', async () => {
    const created = await api.request<{ id: string }>('POST', tasks, {
      token: user.token,
      json: { title: 'clean' },
    });
    const url = `${tasks}/${created.body.id}`;
    const patch = await api.request<ProblemJson>('PATCH', url, {
      token: user.token,
      json: { title: '\u202eevil' },
    });
    const put = await api.request<ProblemJson>('PUT', url, {
      token: user.token,
      json: { title: 'ok', description: 'a\u0000b\u001b', completed: false },
    });
    expect(patch.status).toBe(422);
    expect(put.status).toBe(422);
    expect(put.body.errors?.[0]?.field).toBe('description');
  });

  it('keeps CRLF line breaks and tabs in a description', async () => {
    const description = 'first line\r\nsecond line\n\tindented';
    const res = await api.request<{ description: string }>('POST', tasks, {
      token: user.token,
      json: { title: 'Multi-line', description },
    });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe(description);
  });

  it('400 for a JSON body that is not valid UTF-8, never stored with U+FFFD', async () => {
    const invalid = Buffer.concat([
      Buffer.from('{"title":"caf'),
      Buffer.from([0xe9]), // é in Latin-1: not UTF-8
      Buffer.from('"}'),
    ]);
    const res = await postBytes(invalid);
    expect(res.status).toBe(400);
    expect((JSON.parse(res.body) as ProblemJson).detail).toMatch(/UTF-8/);

    const list = await api.request<{ items: { title: string }[] }>('GET', tasks, {
      token: user.token,
    });
    expect(list.body.items.map((t) => t.title)).not.toContainEqual(
      expect.stringContaining('\ufffd'),
    );
  });

  it.each([
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('400 for %s', async (_case, bytes) => {
    const body = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from(bytes), Buffer.from('"}')]);
    expect((await postBytes(body)).status).toBe(400);
  });

  it('stores a literal U+FFFD sent as valid UTF-8', async () => {
    const res = await postBytes(Buffer.from('{"title":"replacement \ufffd sign"}', 'utf8'));
    expect(res.status).toBe(201);
  });

  it('415 for a compressed body, which it does not inflate', async () => {
    const res = await postBytes(gzipSync('{"title":"zipped"}'), { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(415);
  });

  it('does not let a "__proto__" key through', async () => {
    const res = await postBytes(Buffer.from('{"title":"x","__proto__":{"completed":true}}'));
    expect(res.status).toBe(422);
    expect((JSON.parse(res.body) as ProblemJson).errors?.[0]?.field).toBe('__proto__');
  });
});
