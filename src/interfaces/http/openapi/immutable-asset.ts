import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/** The same bytes, compressed. */
export interface Compressed {
  readonly br: Buffer;
  readonly gzip: Buffer;
}

type Encoding = keyof Compressed;

export const JAVASCRIPT = 'text/javascript; charset=utf-8';

const A_YEAR = 'public, max-age=31536000, immutable';

/**
 * A file named after a hash of its content (`scalar.1a2b3c4d5e6f7a8b.js`): another version has
 * another name, so a browser or a cache may keep each one for a year without asking again. Its
 * bytes are held once per process in each encoding and every answer sends that same Buffer, so
 * a client that reads slowly costs its socket, not a copy.
 */
export class ImmutableAsset {
  readonly name: string;
  private readonly hash: string;

  constructor(
    stem: string,
    extension: string,
    private readonly type: string,
    private readonly identity: Buffer,
    private readonly compressed: Compressed | null = null,
  ) {
    this.hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
    this.name = `${stem}.${this.hash}.${extension}`;
  }

  /** 200 in the encoding the client prefers, or 304 when its If-None-Match names that one. */
  respond(ctx: Context): void {
    const encoding = this.compressed ? preferredEncoding(ctx.get('Accept-Encoding')) : null;
    ctx.set('Cache-Control', A_YEAR);
    ctx.vary('Accept-Encoding');
    // Strong, and one per encoding: each is a representation of its own.
    ctx.etag = `"${this.hash}${encoding ? `-${encoding}` : ''}"`;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = this.type;
    if (encoding) ctx.set('Content-Encoding', encoding);
    ctx.body = encoding && this.compressed ? this.compressed[encoding] : this.identity;
  }
}

/**
 * Brotli or gzip, whichever Accept-Encoding ranks higher (brotli on a tie: browsers list gzip
 * first, but brotli is smaller), or null for the bytes as they are: when neither is accepted
 * (no header at all included), or when identity is ranked above both.
 */
function preferredEncoding(header: string): Encoding | null {
  const ranks = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [coding = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    if (coding) ranks.set(coding, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const rank = (coding: string) => ranks.get(coding) ?? ranks.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).reduce((a, b) => (rank(b) > rank(a) ? b : a));
  return rank(best) > 0 && rank(best) >= (ranks.get('identity') ?? 0) ? best : null;
}
