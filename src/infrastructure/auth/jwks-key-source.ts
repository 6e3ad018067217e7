import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../../application/shared/clock.port.js';
import { DependencyUnavailableError } from '../../application/shared/dependency-unavailable.error.js';
import { NO_TRACER, type Tracer } from '../../application/shared/tracer.port.js';

export type JwksFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface JwksKeySourceOptions {
  /** How the key set is fetched; the embedded issuer answers in-process instead of over HTTP. */
  readonly fetch?: JwksFetch;
  /** Least time between two refetches caused by tokens naming an unknown `kid`. */
  readonly cooldownMs?: number;
  /** Age after which a cached set is refreshed (in the background: the cache keeps serving). */
  readonly maxAgeMs?: number;
  /** A fetch slower than this fails. */
  readonly timeoutMs?: number;
  /** After a failed fetch with nothing cached, requests fail fast for this long. */
  readonly retryAfterFailureMs?: number;
  /** Times cooldowns and ages (default: the system clock). */
  readonly clock?: Clock;
  /** Told of each fetch's result (metrics). */
  readonly onFetch?: (result: 'ok' | 'failed') => void;
  /** Times each fetch as a span `fetch key set` (default: not traced). */
  readonly tracer?: Tracer;
}

/**
 * The issuer's public keys: fetched once, cached, refreshed when old or when a token names a key
 * the cache lacks (at most once per cooldown, so forged `kid`s cannot flood the issuer). While the
 * issuer is unreachable a warm cache keeps serving; a cold one answers DependencyUnavailableError.
 */
export class JwksKeySource {
  private keys: JWTVerifyGetKey | null = null;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastFailure: DependencyUnavailableError | null = null;
  private pending: Promise<void> | null = null;
  private readonly options: Required<Omit<JwksKeySourceOptions, 'clock' | 'onFetch' | 'tracer'>>;
  private readonly clock: Clock;
  private readonly onFetch: (result: 'ok' | 'failed') => void;
  private readonly tracer: Tracer;
  /** Number of fetches started so far, for diagnostics and tests. */
  fetches = 0;

  constructor(
    private readonly url: URL,
    options: JwksKeySourceOptions = {},
  ) {
    this.options = {
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      cooldownMs: options.cooldownMs ?? 30_000,
      maxAgeMs: options.maxAgeMs ?? 10 * 60_000,
      timeoutMs: options.timeoutMs ?? 3_000,
      retryAfterFailureMs: options.retryAfterFailureMs ?? 1_000,
    };
    this.clock = options.clock ?? { now: () => new Date() };
    this.onFetch = options.onFetch ?? (() => undefined);
    this.tracer = options.tracer ?? NO_TRACER;
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = await this.currentKeys();
    try {
      return await keys(header, token);
    } catch (error) {
      if (!isNoMatchingKey(error)) throw error;
      // A fetch already under way (another caller's, or the stale-set refresh) may bring the key.
      if (this.pending) await this.pending;
      else if (!this.coolingDown()) await this.refresh();
      else throw error;
      return (this.keys ?? keys)(header, token);
    }
  };

  private async currentKeys(): Promise<JWTVerifyGetKey> {
    if (this.keys === null) {
      if (this.lastFailure && this.since(this.failedAt) < this.options.retryAfterFailureMs) {
        throw this.lastFailure;
      }
      await this.refresh();
    } else if (this.since(this.fetchedAt) > this.options.maxAgeMs && !this.coolingDown()) {
      this.refresh().catch(() => undefined); // keep serving the warm cache meanwhile
    }
    if (this.keys === null) throw this.lastFailure ?? new DependencyUnavailableError('key-set');
    return this.keys;
  }

  private coolingDown(): boolean {
    return this.since(this.attemptedAt) < this.options.cooldownMs;
  }

  /** Milliseconds since `time`; a clock set back counts as a long time, not a negative one. */
  private since(time: number): number {
    const elapsed = this.now() - time;
    return elapsed < 0 ? Number.POSITIVE_INFINITY : elapsed;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /** One fetch at a time; concurrent callers share it. */
  private refresh(): Promise<void> {
    this.pending ??= this.tracer
      .inSpan('fetch key set', () => this.load())
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  private async load(): Promise<void> {
    this.attemptedAt = this.now();
    this.fetches += 1;
    try {
      const response = await this.options.fetch(this.url.href, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (response.status !== 200) throw new Error(`key set answered HTTP ${response.status}`);
      this.keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
      this.fetchedAt = this.now();
      this.lastFailure = null;
      this.onFetch('ok');
    } catch (error) {
      this.failedAt = this.now();
      this.onFetch('failed');
      this.lastFailure = new DependencyUnavailableError('key-set', { cause: error });
      throw this.lastFailure;
    }
  }
}

function isNoMatchingKey(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_JWKS_NO_MATCHING_KEY';
}
