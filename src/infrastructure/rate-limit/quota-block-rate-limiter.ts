import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitDecision, RateLimiter } from '../../application/shared/rate-limiter.port.js';
import type { MemoryFallbackLimiter } from './memory-fallback-limiter.js';

/** What the limiter reports; the logger's two methods that it uses. */
export interface QuotaBlockEvents {
  readonly logger: {
    warn(details: object, message: string): void;
    info(details: object, message: string): void;
  };
  /** A request was counted in this instance's memory because the shared store was unreachable. */
  readonly fellBack?: () => void;
}

export interface QuotaBlockRateLimiterOptions {
  /**
   * rate-limiter-flexible's limiter on the store, with `points` = limit and `duration` = the
   * window, and `fallback` as its insurance limiter when the store is shared.
   */
  readonly store: RateLimiterAbstract;
  readonly fallback: MemoryFallbackLimiter | null;
  /** Names the store in the log: memory, postgresql, redis. */
  readonly storeName: string;
  readonly limit: number;
  readonly windowSeconds: number;
  /** Points taken from the store in one round trip (1: every request is one). */
  readonly block: number;
  /** Keys tracked at most; past it the expired ones, then the oldest, are forgotten. */
  readonly maxKeys?: number;
  readonly events: QuotaBlockEvents;
}

/** Quota this instance holds for a key, until the store's window ends. */
interface Reservation {
  /** Points taken from the store and not spent yet: requests this instance may let through. */
  left: number;
  /** What the store had left after the last take: 0 means the key is refused until resetAt. */
  readonly storeLeft: number;
  /** When the store's window ends (Date.now() milliseconds, as the store counts). */
  readonly resetAt: number;
  /** The points came from this instance's memory: the store could not be reached. */
  readonly fallback: boolean;
}

/**
 * A fixed-window limit kept in a rate-limiter-flexible store, shared by every instance that
 * uses the store. A round trip to a shared store for each request costs more than the request
 * it guards, so the instance takes `block` points at a time and lets that many requests through
 * locally. The store adds the whole block atomically and answers its new total; the instance
 * keeps only the part of the block under the limit, so every instance together never lets
 * more than `limit` requests through in a window. What a block costs is the other way round: the
 * points an instance took and did not use are lost to the others until the window ends (at most
 * block - 1 per other instance). Once the store says the key is spent, this instance refuses it
 * from memory until the window ends, so a caller past its limit costs the store nothing more.
 */
export class QuotaBlockRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  private readonly reservations = new Map<string, Reservation>();
  /** Takes under way, one per key: concurrent requests share it. */
  private readonly taking = new Map<string, Promise<Reservation>>();
  private readonly maxKeys: number;
  private outage = false;

  constructor(private readonly options: QuotaBlockRateLimiterOptions) {
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  async hit(key: string): Promise<LimitDecision> {
    let reservation = this.current(key);
    // Spent quota with room left in the store: take the next block (concurrent requests may
    // spend a shared block before this one gets to it, hence the loop).
    while (!reservation || (reservation.left === 0 && reservation.storeLeft > 0)) {
      reservation = await this.take(key);
    }
    if (reservation.fallback) this.options.events.fellBack?.();
    return this.decide(reservation, Date.now());
  }

  private current(key: string): Reservation | undefined {
    const reservation = this.reservations.get(key);
    if (reservation && reservation.resetAt <= Date.now()) {
      this.reservations.delete(key);
      return undefined;
    }
    return reservation;
  }

  private decide(reservation: Reservation, now: number): LimitDecision {
    const allowed = reservation.left > 0;
    if (allowed) reservation.left -= 1;
    return {
      allowed,
      remaining: allowed ? reservation.left + reservation.storeLeft : 0,
      resetSeconds: Math.max(1, Math.ceil((reservation.resetAt - now) / 1000)),
    };
  }

  /** One round trip for the key, shared by the requests that wait for it. */
  private take(key: string): Promise<Reservation> {
    let pending = this.taking.get(key);
    if (!pending) {
      pending = this.takeBlock(key).finally(() => this.taking.delete(key));
      this.taking.set(key, pending);
    }
    return pending;
  }

  private async takeBlock(key: string): Promise<Reservation> {
    const { store, fallback, block, limit } = this.options;
    let res: RateLimiterRes;
    try {
      res = await store.consume(key, block);
    } catch (refusal) {
      // A refusal is the store's answer; anything else got past the insurance limiter.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      res = refusal;
    }
    const fromMemory = fallback?.answered(res) ?? false;
    this.noteStore(fromMemory);
    // The block holds the points (consumed - block, consumed]; those up to the limit are ours.
    const before = res.consumedPoints - block;
    const reservation: Reservation = {
      left: Math.max(0, Math.min(block, limit - before)),
      storeLeft: Math.max(0, limit - res.consumedPoints),
      resetAt: Date.now() + res.msBeforeNext,
      fallback: fromMemory,
    };
    this.keep(key, reservation);
    return reservation;
  }

  /**
   * Keeps the key's reservation last in the Map, which is then in the order of the takes: the
   * windows that ended are mostly at its front, and a few are dropped from there at each take,
   * so users gone quiet do not stay. Past maxKeys, every ended one goes, then the oldest.
   */
  private keep(key: string, reservation: Reservation): void {
    const now = Date.now();
    let dropped = 0;
    for (const [other, held] of this.reservations) {
      if (held.resetAt > now || dropped === 8) break;
      this.reservations.delete(other);
      dropped += 1;
    }
    this.reservations.delete(key);
    this.reservations.set(key, reservation);
    if (this.reservations.size <= this.maxKeys) return;
    for (const [other, held] of this.reservations) {
      if (held.resetAt <= now) this.reservations.delete(other);
    }
    const oldest = this.reservations.keys().next();
    if (this.reservations.size > this.maxKeys && !oldest.done) {
      this.reservations.delete(oldest.value);
    }
  }

  /** Users this instance holds quota for (or has not forgotten yet). */
  get size(): number {
    return this.reservations.size;
  }

  /** Logs once when the store goes away and once when it is back, not for each request. */
  private noteStore(unreachable: boolean): void {
    if (unreachable === this.outage) return;
    this.outage = unreachable;
    const { logger } = this.options.events;
    const details = { store: this.options.storeName };
    if (unreachable) {
      logger.warn(
        details,
        'the shared rate-limit store cannot be reached: each instance counts the per-user limit in its own memory until it is back',
      );
    } else {
      logger.info(details, 'the shared rate-limit store is reachable again');
    }
  }
}
