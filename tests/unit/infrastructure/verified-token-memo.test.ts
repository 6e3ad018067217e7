import { describe, expect, it } from '@jest/globals';
import type { AuthenticatedUser } from '../../../src/application/auth/authenticated-user.js';
import {
  VerifiedTokenMemo,
  type VerifiedToken,
} from '../../../src/infrastructure/auth/verified-token-memo.js';

const ALICE: AuthenticatedUser = { id: 'user-alice', email: null, name: null };
const KEY = Symbol('key');
const NOW = 1_800_000_000;

/** A token verified at NOW, valid for an hour unless told otherwise. */
const verified = (times: Partial<VerifiedToken<symbol>> = {}): VerifiedToken<symbol> => ({
  verified: { user: ALICE, sessionId: null, issuedAt: NOW - 60 },
  key: KEY,
  expiresAt: NOW + 3600,
  notBefore: Number.NEGATIVE_INFINITY,
  ...times,
});

describe('VerifiedTokenMemo', () => {
  it('recalls a remembered token with what it proved', () => {
    const memo = new VerifiedTokenMemo<symbol>(0);
    memo.remember('token-a', verified(), NOW);

    expect(memo.recall('token-a', NOW + 1)).toMatchObject({ verified: { user: ALICE }, key: KEY });
    expect(memo.recall('token-b', NOW + 1)).toBeUndefined();
  });

  it('answers only while exp and nbf allow, with the tolerance, then forgets the token', () => {
    const memo = new VerifiedTokenMemo<symbol>(5);
    memo.remember('token', verified({ expiresAt: NOW + 30, notBefore: NOW + 10 }), NOW);

    expect(memo.recall('token', NOW + 4)).toBeUndefined(); // nbf - 5 s not reached yet
    memo.remember('token', verified({ expiresAt: NOW + 30, notBefore: NOW + 10 }), NOW);
    expect(memo.recall('token', NOW + 5)).toBeDefined();
    expect(memo.recall('token', NOW + 34)).toBeDefined();
    expect(memo.recall('token', NOW + 35)).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it('forgets a token after maxAgeSeconds, however long it stays valid', () => {
    const memo = new VerifiedTokenMemo<symbol>(0, { maxAgeSeconds: 60 });
    memo.remember('token', verified(), NOW);

    expect(memo.recall('token', NOW + 59.9)).toBeDefined();
    expect(memo.recall('token', NOW + 60)).toBeUndefined();
  });

  it('answers nothing while the clock reads earlier than when the token was remembered', () => {
    const memo = new VerifiedTokenMemo<symbol>(0);
    memo.remember('token', verified(), NOW);

    expect(memo.recall('token', NOW - 1)).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it('keeps at most maxEntries tokens, dropping the oldest first', () => {
    const memo = new VerifiedTokenMemo<symbol>(0, { maxEntries: 2 });
    for (const token of ['first', 'second', 'third']) memo.remember(token, verified(), NOW);

    expect(memo.size).toBe(2);
    expect(memo.recall('first', NOW)).toBeUndefined();
    expect(memo.recall('second', NOW)).toBeDefined();
    expect(memo.recall('third', NOW)).toBeDefined();
  });

  it('keeps at most maxChars of token text, dropping the oldest first', () => {
    const memo = new VerifiedTokenMemo<symbol>(0, { maxChars: 25 });
    memo.remember('a'.repeat(10), verified(), NOW);
    memo.remember('b'.repeat(10), verified(), NOW);
    memo.remember('c'.repeat(10), verified(), NOW);
    memo.remember('d'.repeat(26), verified(), NOW); // alone over the budget: never kept

    expect(memo.recall('a'.repeat(10), NOW)).toBeUndefined();
    expect(memo.recall('b'.repeat(10), NOW)).toBeDefined();
    expect(memo.recall('c'.repeat(10), NOW)).toBeDefined();
    expect(memo.recall('d'.repeat(26), NOW)).toBeUndefined();
  });

  it('counts a token remembered twice once', () => {
    const memo = new VerifiedTokenMemo<symbol>(0, { maxEntries: 2, maxChars: 20 });
    memo.remember('a'.repeat(10), verified(), NOW);
    memo.remember('a'.repeat(10), verified(), NOW + 1);
    memo.remember('b'.repeat(10), verified(), NOW + 1);

    expect(memo.size).toBe(2);
    expect(memo.recall('a'.repeat(10), NOW + 1)).toBeDefined();
  });

  it('remembers nothing with maxEntries: 0', () => {
    const memo = new VerifiedTokenMemo<symbol>(0, { maxEntries: 0 });
    memo.remember('token', verified(), NOW);

    expect(memo.recall('token', NOW)).toBeUndefined();
    expect(memo.size).toBe(0);
  });
});
