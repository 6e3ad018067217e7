import type { VerifiedToken as Verified } from '../../application/auth/token-verifier.port.js';

export interface VerifiedTokenMemoOptions {
  /** Most tokens remembered at once (0: remember none). */
  readonly maxEntries?: number;
  /** Most characters of token text remembered at once (the claims decoded add at most as much). */
  readonly maxChars?: number;
  /** How long a token is reused before it must pass a full check again. */
  readonly maxAgeSeconds?: number;
}

/** What a token that passed a full check proved, and what its reuse depends on. */
export interface VerifiedToken<Key> {
  readonly verified: Verified;
  /** The key that checked the signature. */
  readonly key: Key;
  /** The token's exp and nbf claims, in seconds since the epoch. */
  readonly expiresAt: number;
  readonly notBefore: number;
}

interface Entry<Key> extends VerifiedToken<Key> {
  readonly rememberedAt: number;
}

/**
 * Tokens that passed a full check, by their exact string, so a client's next requests with the
 * same token skip the signature arithmetic (the same idea as Envoy's `jwt_cache_config`). Only
 * tokens the issuer signed enter: any account holder can churn it, which costs only full checks.
 * Bounded in count, size and age, oldest out first. It answers only while the token's own exp and
 * nbf allow, and never when the clock reads earlier than when the token was checked: every lower
 * bound (nbf, iat) that held then still holds.
 */
export class VerifiedTokenMemo<Key> {
  private readonly entries = new Map<string, Entry<Key>>();
  private chars = 0;
  private readonly maxEntries: number;
  private readonly maxChars: number;
  private readonly maxAgeSeconds: number;

  constructor(
    /** Slack allowed on exp and nbf, in seconds: the full check's own. */
    private readonly toleranceSeconds: number,
    options: VerifiedTokenMemoOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxChars = options.maxChars ?? 8 * 1024 * 1024;
    this.maxAgeSeconds = options.maxAgeSeconds ?? 60;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The token's verified facts, if it was remembered and is still within its times at `now`. */
  recall(token: string, now: number): VerifiedToken<Key> | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    const inTime =
      now >= entry.rememberedAt &&
      now < entry.rememberedAt + this.maxAgeSeconds &&
      now < entry.expiresAt + this.toleranceSeconds &&
      now >= entry.notBefore - this.toleranceSeconds;
    if (inTime) return entry;
    this.forget(token);
    return undefined;
  }

  remember(token: string, verified: VerifiedToken<Key>, now: number): void {
    if (token.length > this.maxChars || this.maxEntries <= 0) return;
    this.forget(token);
    // A flat copy (tokens are ASCII): the string passed in may be a slice of a whole request
    // header, which the memo would otherwise keep alive.
    const key = Buffer.from(token, 'latin1').toString('latin1');
    this.entries.set(key, { ...verified, rememberedAt: now });
    this.chars += token.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.forget(oldest);
    }
  }

  forget(token: string): void {
    if (this.entries.delete(token)) this.chars -= token.length;
  }
}
