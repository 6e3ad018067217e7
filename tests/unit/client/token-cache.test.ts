import { describe, expect, it, jest } from '@jest/globals';
import { readClaims, TokenCache, type TokenSource } from '../../../src/client/token-cache.js';
import { unsignedToken } from '../../support/unsigned-token.js';
import { aGate } from '../../support/gate.js';

/** The fake clock starts here; token times are in seconds, as in a JWT. */
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const T0_S = T0 / 1000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The documented default margin, restated so a changed default shows up here. */
const DEFAULT_MARGIN_MS = 30 * SECOND;

/** The cache only reads claims, it never verifies. */
const aToken = unsignedToken;

/** A token issued at T0 + `issuedAfterMs`, living `lifetimeMs`. */
function aTokenLiving(lifetimeMs: number, sub = 'alice', issuedAfterMs = 0): string {
  const iat = T0_S + issuedAfterMs / 1000;
  return aToken({ sub, iat, exp: iat + lifetimeMs / 1000 });
}

class FakeClock {
  private current = T0;
  readonly now = (): number => this.current;

  advance(ms: number): void {
    this.current += ms;
  }
}

/** A token source answering `tokens`, one per call, in order. */
function answering(...tokens: (string | null)[]) {
  return tokens.reduce(
    (source, token) => source.mockResolvedValueOnce(token),
    jest.fn<TokenSource>(),
  );
}

function aCache(source: TokenSource, clock: FakeClock, refreshMarginMs?: number): TokenCache {
  return new TokenCache(source, { now: clock.now, refreshMarginMs });
}

describe('TokenCache', () => {
  describe('get', () => {
    it('fetches a token from the source on the first call', async () => {
      const token = aTokenLiving(15 * MINUTE);
      const source = jest.fn<TokenSource>().mockResolvedValue(token);
      const cache = aCache(source, new FakeClock());

      await expect(cache.get()).resolves.toBe(token);
      expect(source).toHaveBeenCalledTimes(1);
    });

    it('reuses the cached token until 30 s before it expires, then fetches a new one', async () => {
      const clock = new FakeClock();
      const first = aTokenLiving(15 * MINUTE, 'alice');
      const second = aTokenLiving(15 * MINUTE, 'alice', 15 * MINUTE - DEFAULT_MARGIN_MS);
      const source = answering(first, second);
      const cache = aCache(source, clock);

      await cache.get();
      clock.advance(15 * MINUTE - DEFAULT_MARGIN_MS - 1);
      await expect(cache.get()).resolves.toBe(first);
      expect(source).toHaveBeenCalledTimes(1);

      clock.advance(1);
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('caches the new token after a refresh', async () => {
      const clock = new FakeClock();
      const first = aTokenLiving(15 * MINUTE);
      const second = aTokenLiving(15 * MINUTE, 'alice', 15 * MINUTE);
      const source = answering(first, second);
      const cache = aCache(source, clock);

      await cache.get();
      clock.advance(15 * MINUTE);
      await cache.get();
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('uses the configured refreshMarginMs', async () => {
      const clock = new FakeClock();
      const first = aTokenLiving(15 * MINUTE);
      const second = aTokenLiving(15 * MINUTE, 'alice', 14 * MINUTE);
      const source = answering(first, second);
      const cache = aCache(source, clock, MINUTE);

      await cache.get();
      clock.advance(14 * MINUTE - 1);
      await expect(cache.get()).resolves.toBe(first);

      clock.advance(1);
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('caps the margin at half the lifetime: a 20 s token is refreshed after 10 s', async () => {
      const clock = new FakeClock();
      const first = aTokenLiving(20 * SECOND);
      const second = aTokenLiving(20 * SECOND, 'alice', 10 * SECOND);
      const source = answering(first, second);
      const cache = aCache(source, clock);

      await cache.get();
      clock.advance(10 * SECOND - 1);
      await expect(cache.get()).resolves.toBe(first);
      expect(source).toHaveBeenCalledTimes(1);

      clock.advance(1);
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('measures the lifetime from iat, not from when the token arrived', async () => {
      const clock = new FakeClock();
      // Issued at T0, fetched 4 s later: half its 20 s lifetime ends at T0 + 10 s, not T0 + 14 s.
      const first = aTokenLiving(20 * SECOND);
      const second = aTokenLiving(20 * SECOND, 'alice', 10 * SECOND);
      const source = answering(first, second);
      const cache = aCache(source, clock);

      clock.advance(4 * SECOND);
      await cache.get();
      clock.advance(6 * SECOND - 1);
      await expect(cache.get()).resolves.toBe(first);

      clock.advance(1);
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('measures the lifetime from the time it was stored when the token has no iat', async () => {
      const clock = new FakeClock();
      const first = aToken({ sub: 'alice', exp: T0_S + 20 });
      const second = aToken({ sub: 'alice', exp: T0_S + 40 });
      const source = answering(first, second);
      const cache = aCache(source, clock);

      await cache.get();
      clock.advance(10 * SECOND - 1);
      await expect(cache.get()).resolves.toBe(first);

      clock.advance(1);
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('fetches a token without exp again on every call', async () => {
      const token = aToken({ sub: 'alice', iat: T0_S });
      const source = jest.fn<TokenSource>().mockResolvedValue(token);
      const cache = aCache(source, new FakeClock());

      await expect(cache.get()).resolves.toBe(token);
      await expect(cache.get()).resolves.toBe(token);
      await expect(cache.get()).resolves.toBe(token);
      expect(source).toHaveBeenCalledTimes(3);
    });

    it('makes concurrent callers share one fetch', async () => {
      const token = aTokenLiving(15 * MINUTE);
      const source = jest.fn<TokenSource>().mockResolvedValue(token);
      const cache = aCache(source, new FakeClock());

      const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.get()));

      expect(tokens).toEqual(Array.from({ length: 10 }, () => token));
      expect(source).toHaveBeenCalledTimes(1);
    });

    it('resolves null and caches nothing when the source has no token', async () => {
      const token = aTokenLiving(15 * MINUTE);
      const source = jest.fn<TokenSource>().mockResolvedValueOnce(null).mockResolvedValue(token);
      const cache = aCache(source, new FakeClock());

      await expect(cache.get()).resolves.toBeNull();
      await expect(cache.get()).resolves.toBe(token);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('passes a failure of the source to every waiting caller', async () => {
      const failure = new Error('token endpoint down');
      const source = jest.fn<TokenSource>().mockRejectedValueOnce(failure);
      const cache = aCache(source, new FakeClock());

      const first = cache.get();
      const second = cache.get();

      await expect(first).rejects.toBe(failure);
      await expect(second).rejects.toBe(failure);
      expect(source).toHaveBeenCalledTimes(1);
    });

    it('tries the source again after it failed (the failed fetch is not kept)', async () => {
      const token = aTokenLiving(15 * MINUTE);
      const source = jest
        .fn<TokenSource>()
        .mockRejectedValueOnce(new Error('token endpoint down'))
        .mockResolvedValue(token);
      const cache = aCache(source, new FakeClock());

      await expect(cache.get()).rejects.toThrow('token endpoint down');
      await expect(cache.get()).resolves.toBe(token);
      expect(source).toHaveBeenCalledTimes(2);
    });
  });

  describe('refresh', () => {
    it('fetches a new token even while the cached one is still valid', async () => {
      const first = aTokenLiving(15 * MINUTE, 'alice');
      const second = aTokenLiving(15 * MINUTE, 'bob');
      const source = answering(first, second);
      const cache = aCache(source, new FakeClock());

      await cache.get();
      await expect(cache.refresh()).resolves.toBe(second);
      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('makes concurrent refreshes share one fetch', async () => {
      const token = aTokenLiving(15 * MINUTE);
      const source = jest.fn<TokenSource>().mockResolvedValue(token);
      const cache = aCache(source, new FakeClock());

      const tokens = await Promise.all([cache.refresh(), cache.refresh(), cache.get()]);

      expect(tokens).toEqual([token, token, token]);
      expect(source).toHaveBeenCalledTimes(1);
    });

    it('forgets the cached token when the source now has none', async () => {
      const source = jest
        .fn<TokenSource>()
        .mockResolvedValueOnce(aTokenLiving(15 * MINUTE))
        .mockResolvedValue(null);
      const cache = aCache(source, new FakeClock());

      await cache.get();
      await expect(cache.refresh()).resolves.toBeNull();
      await expect(cache.get()).resolves.toBeNull();
      expect(source).toHaveBeenCalledTimes(3);
    });
  });

  describe('replace', () => {
    it('hands out the token another caller already fetched instead of fetching again', async () => {
      const clock = new FakeClock();
      const first = aTokenLiving(15 * MINUTE, 'alice');
      const second = aTokenLiving(15 * MINUTE, 'alice', SECOND);
      const source = answering(first, second);
      const cache = aCache(source, clock);
      await cache.get();
      await expect(cache.replace(first)).resolves.toBe(second);

      // A late caller still holding the first, refused token gets the second without a fetch.
      await expect(cache.replace(first)).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('fetches anew when the refused token is the one cached', async () => {
      const first = aTokenLiving(15 * MINUTE);
      const second = aTokenLiving(15 * MINUTE, 'alice', SECOND);
      const source = answering(first, second);
      const cache = aCache(source, new FakeClock());
      await cache.get();
      await expect(cache.replace(first)).resolves.toBe(second);
      await expect(cache.get()).resolves.toBe(second);
    });
  });

  describe('store', () => {
    it('seeds the cache so get does not call the source', async () => {
      const token = aTokenLiving(15 * MINUTE);
      const source = jest.fn<TokenSource>().mockResolvedValue(aTokenLiving(15 * MINUTE, 'other'));
      const cache = aCache(source, new FakeClock());

      cache.store(token);

      await expect(cache.get()).resolves.toBe(token);
      expect(source).not.toHaveBeenCalled();
    });

    it('plans the refresh of a stored token from its claims', async () => {
      const clock = new FakeClock();
      const stored = aTokenLiving(15 * MINUTE, 'alice');
      const fetched = aTokenLiving(15 * MINUTE, 'bob');
      const source = jest.fn<TokenSource>().mockResolvedValue(fetched);
      const cache = aCache(source, clock);

      cache.store(stored);
      clock.advance(15 * MINUTE - DEFAULT_MARGIN_MS);

      await expect(cache.get()).resolves.toBe(fetched);
      expect(source).toHaveBeenCalledTimes(1);
    });

    it('forgets the token when given null', async () => {
      const fetched = aTokenLiving(15 * MINUTE, 'bob');
      const source = jest.fn<TokenSource>().mockResolvedValue(fetched);
      const cache = aCache(source, new FakeClock());

      cache.store(aTokenLiving(15 * MINUTE, 'alice'));
      cache.store(null);

      await expect(cache.get()).resolves.toBe(fetched);
      expect(source).toHaveBeenCalledTimes(1);
    });
  });

  describe('clear', () => {
    it('forgets the token, so the next get calls the source again', async () => {
      const first = aTokenLiving(15 * MINUTE, 'alice');
      const second = aTokenLiving(15 * MINUTE, 'bob');
      const source = answering(first, second);
      const cache = aCache(source, new FakeClock());

      await cache.get();
      cache.clear();

      await expect(cache.get()).resolves.toBe(second);
      expect(source).toHaveBeenCalledTimes(2);
    });

    it('forgets a stored token too (nothing outside the instance keeps it)', async () => {
      const fetched = aTokenLiving(15 * MINUTE, 'bob');
      const source = jest.fn<TokenSource>().mockResolvedValue(fetched);
      const cache = aCache(source, new FakeClock());

      cache.store(aTokenLiving(15 * MINUTE, 'alice'));
      cache.clear();

      await expect(cache.get()).resolves.toBe(fetched);
      expect(source).toHaveBeenCalledTimes(1);
    });

    it('does not cache a token whose fetch was in flight when it was cleared', async () => {
      const beforeSignOut = aTokenLiving(15 * MINUTE, 'alice');
      const afterSignOut = aTokenLiving(15 * MINUTE, 'bob');
      const inFlight = aGate<string | null>();
      const source = jest
        .fn<TokenSource>()
        .mockReturnValueOnce(inFlight.promise)
        .mockResolvedValue(afterSignOut);
      const cache = aCache(source, new FakeClock());

      const pending = cache.get();
      cache.clear();
      inFlight.open(beforeSignOut);
      await pending;

      await expect(cache.get()).resolves.toBe(afterSignOut);
      expect(source).toHaveBeenCalledTimes(2);
    });
  });
});

describe('readClaims', () => {
  it('decodes a base64url payload that uses - and _ and holds unicode text', () => {
    const claims = { sub: '>>>???', name: 'Zoë Ångström 😀', iat: T0_S, exp: T0_S + 900 };
    const token = aToken(claims);
    const payload = token.split('.')[1] ?? '';
    // Guard: the payload must exercise both base64url-only characters.
    expect(payload).toMatch(/-/);
    expect(payload).toMatch(/_/);

    expect(readClaims(token)).toEqual(claims);
  });

  it.each(['a', 'ab', 'abc'])('decodes an unpadded payload (sub %p)', (sub) => {
    const token = aToken({ sub });

    expect(readClaims(token)).toEqual({ sub });
  });

  it.each([
    ['an empty string', ''],
    ['text without dots', 'not-a-jwt'],
    ['a payload that is not base64', 'header.!!!.signature'],
    ['a payload that is not JSON', `header.${Buffer.from('hello').toString('base64url')}.sig`],
    ['a payload that is JSON null', `header.${Buffer.from('null').toString('base64url')}.sig`],
    ['a payload that is a number', `header.${Buffer.from('42').toString('base64url')}.sig`],
  ])('returns {} for %s', (_name, token) => {
    expect(readClaims(token)).toEqual({});
  });
});
