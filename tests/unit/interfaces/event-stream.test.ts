import type { ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { EventStream, expiryOf } from '../../../src/interfaces/http/tasks/event-streams.js';

/** An answer whose reader takes nothing: every byte written stays queued. */
function stalledResponse() {
  const written: string[] = [];
  let queued = 0;
  let ended = false;
  const res = {
    write(text: string) {
      written.push(text);
      queued += Buffer.byteLength(text);
      return false;
    },
    end() {
      ended = true;
    },
    destroy() {},
    once() {
      return res;
    },
    get writableLength() {
      return queued;
    },
  };
  return { res: res as unknown as ServerResponse, written, isEnded: () => ended };
}

describe('EventStream', () => {
  it('closes a reader more than its limit behind with resync, and writes nothing after', () => {
    const { res, written, isEnded } = stalledResponse();
    const stream = new EventStream('ada', res, 'token', null, 1024 * 1024);
    const task = { id: 'x', description: 'd'.repeat(10_000) };
    let sent = 0;
    while (stream.isOpen && sent < 1_000) {
      stream.send('task', task, `token-${sent}`);
      sent += 1;
    }
    expect(stream.isOpen).toBe(false);
    expect(isEnded()).toBe(true);
    // Just past 1 MiB: about a hundred events of 10 kB, then the resync.
    expect(sent).toBeGreaterThan(100);
    expect(sent).toBeLessThan(110);
    expect(written.at(-1)).toBe('event: resync\ndata: {}\n\n');
    stream.send('task', task, 'after');
    expect(written.at(-1)).toBe('event: resync\ndata: {}\n\n');
  });

  it('reads the exp of a JWT, and nothing of anything else', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'ada', exp: 1_800_000_000 })).toString(
      'base64url',
    );
    expect(expiryOf(`eyJhbGciOiJFZERTQSJ9.${payload}.signature`)).toBe(1_800_000_000_000);
    expect(expiryOf('test-token.0b7e5f4e')).toBeNull();
    expect(expiryOf('opaque')).toBeNull();
  });
});
