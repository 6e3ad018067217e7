import { createHash } from 'node:crypto';
import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IN_MEMORY, type World } from '../support/worlds.js';

interface BytesAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A GET through node:http, which (unlike fetch) hands over the body as sent, still encoded. */
function getBytes(url: string, headers: Record<string, string> = {}): Promise<BytesAnswer> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

const MB = 1_000_000;
const ASSET_NAME = /^\/docs\/(scalar|docs)\.([0-9a-f]{16})\.js$/;

/**
 * The /docs page's scripts: one shared copy of Scalar's 5 MB bundle per process, sent brotli- or
 * gzip-compressed as the client accepts, under names that change with their content, so that a
 * browser keeps them for a year and a revisit downloads nothing.
 */
describe('the /docs scripts', () => {
  let world: World;
  let base: string;
  let scalar: string;
  let docs: string;

  beforeAll(async () => {
    world = await IN_MEMORY.start({ label: 'docs_assets' });
    base = world.api.baseUrl;
    const page = await world.api.request<string>('GET', '/docs');
    const sources = page.body.match(/(?<=src=")[^"]+/g) ?? [];
    scalar = sources.find((src) => src.startsWith('/docs/scalar.')) ?? '';
    docs = sources.find((src) => src.startsWith('/docs/docs.')) ?? '';
  });

  afterAll(async () => {
    await world?.close();
  });

  it('are linked under names carrying a hash of their content', async () => {
    expect(scalar).toMatch(ASSET_NAME);
    expect(docs).toMatch(ASSET_NAME);
    for (const path of [scalar, docs]) {
      const identity = await getBytes(base + path, { 'Accept-Encoding': 'identity' });
      const hash = createHash('sha256').update(identity.body).digest('hex').slice(0, 16);
      expect(ASSET_NAME.exec(path)?.[2]).toBe(hash);
    }
  });

  it('are cached for a year, with a strong ETag, varying by Accept-Encoding', async () => {
    for (const path of [scalar, docs]) {
      const res = await world.api.request('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/); // strong: no W/
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    }
  });

  it('sends the same bytes brotli-compressed, gzip-compressed (under 1.5 MB) or as they are', async () => {
    const [br, gzip, identity, none] = await Promise.all([
      getBytes(base + scalar, { 'Accept-Encoding': 'br' }),
      getBytes(base + scalar, { 'Accept-Encoding': 'gzip' }),
      getBytes(base + scalar, { 'Accept-Encoding': 'identity' }),
      getBytes(base + scalar),
    ]);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(identity.body.length).toBeGreaterThan(4 * MB);
    expect(gzip.body.length).toBeLessThan(1.5 * MB);
    expect(br.body.length).toBeLessThan(gzip.body.length);
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
    expect(none.body.equals(identity.body)).toBe(true);
    for (const answer of [br, gzip, identity]) {
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    }
    // Each encoding is its own representation, so each has its own strong tag.
    expect(new Set([br, gzip, identity].map((a) => a.headers.etag)).size).toBe(3);
    expect(identity.body.toString('utf8')).not.toMatch(/sourceMappingURL=\S+\s*$/);
  });

  it.each([
    ['a browser', 'gzip, deflate, br, zstd', 'br'],
    ['brotli ranked lower', 'br;q=0.5, gzip', 'gzip'],
    ['anything', '*', 'br'],
    ['no brotli', 'gzip, deflate', 'gzip'],
    ['neither', 'deflate', undefined],
    ['brotli and gzip refused', 'br;q=0, gzip;q=0', undefined],
  ])('picks by Accept-Encoding: %s (%s)', async (_case, accept, encoding) => {
    const res = await getBytes(base + scalar, { 'Accept-Encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
  });

  it('answers a revisit with If-None-Match by 304, without the body', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const first = await getBytes(base + scalar, { 'Accept-Encoding': accept });
      const etag = first.headers.etag ?? '';
      const again = await getBytes(base + scalar, {
        'Accept-Encoding': accept,
        'If-None-Match': etag,
      });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(again.headers.vary).toMatch(/accept-encoding/i);
    }
    const etag = (await getBytes(base + scalar)).headers.etag ?? '';
    const listed = await getBytes(base + scalar, { 'If-None-Match': `"other", ${etag}` });
    expect(listed.status).toBe(304);
    const changed = await getBytes(base + scalar, { 'If-None-Match': '"something else"' });
    expect(changed.status).toBe(200);
  });

  it.each([
    '/docs/scalar.js',
    '/docs/docs.js',
    '/docs/scalar.0123456789abcdef.js',
    '/docs/docs.0123456789abcdef.js',
    '/docs/toString',
  ])('404 for %s: an old, unknown or unhashed name', async (path) => {
    const res = await world.api.request<{ type: string }>('GET', path);
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('/problems/not-found');
  });
});
