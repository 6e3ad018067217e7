import { describe, expect, it } from '@jest/globals';
import { FixedWindowLimiter } from '../../../src/interfaces/http/rate-limit/fixed-window-limiter.js';

/** A limiter on a clock the test moves by hand. */
function limiter(limit: number, maxKeys?: number) {
  let now = 1_000;
  const subject = new FixedWindowLimiter({
    limit,
    windowMs: 60_000,
    now: () => now,
    ...(maxKeys === undefined ? {} : { maxKeys }),
  });
  return { subject, advance: (ms: number) => (now += ms) };
}

describe('FixedWindowLimiter', () => {
  it('allows `limit` requests per window, counting down what is left', () => {
    const { subject } = limiter(3);
    expect([1, 2, 3, 4].map(() => subject.hit('ada'))).toEqual([
      { allowed: true, remaining: 2, resetSeconds: 60 },
      { allowed: true, remaining: 1, resetSeconds: 60 },
      { allowed: true, remaining: 0, resetSeconds: 60 },
      { allowed: false, remaining: 0, resetSeconds: 60 },
    ]);
  });

  it('says how long until the window ends, in whole seconds, never 0', () => {
    const { subject, advance } = limiter(1);
    subject.hit('ada');
    advance(41_500);
    expect(subject.hit('ada')).toEqual({ allowed: false, remaining: 0, resetSeconds: 19 });
    advance(18_000); // 0.5 s left
    expect(subject.hit('ada').resetSeconds).toBe(1);
  });

  it('gives a full quota again once the window has ended', () => {
    const { subject, advance } = limiter(1);
    subject.hit('ada');
    advance(60_000);
    expect(subject.hit('ada')).toEqual({ allowed: true, remaining: 0, resetSeconds: 60 });
  });

  it('counts each key on its own', () => {
    const { subject } = limiter(1);
    expect(subject.hit('ada').allowed).toBe(true);
    expect(subject.hit('grace').allowed).toBe(true);
    expect(subject.hit('ada').allowed).toBe(false);
  });

  it('forgets keys whose window has ended: memory follows the users of the last minute', () => {
    const { subject, advance } = limiter(10);
    for (let i = 0; i < 1_000; i++) subject.hit(`user-${i}`);
    expect(subject.size).toBe(1_000);
    advance(30_000);
    subject.hit('late');
    expect(subject.size).toBe(1_001);
    advance(30_000);
    subject.hit('later');
    expect(subject.size).toBe(2); // 'late' and 'later'
  });

  it('tracks at most maxKeys keys, dropping the oldest window', () => {
    const { subject } = limiter(1, 2);
    subject.hit('a');
    subject.hit('b');
    subject.hit('c');
    expect(subject.size).toBe(2);
    expect(subject.hit('c').allowed).toBe(false);
    expect(subject.hit('a').allowed).toBe(true); // forgotten, so a fresh window
  });
});
