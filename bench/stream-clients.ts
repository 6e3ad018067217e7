/**
 * The readers of `live-events.ts`'s memory measure, in a process of their own so that their
 * memory is not the service's: opens `count` event streams on `url` for `userId` with `token`,
 * prints `open <count>` once every one has said `ready`, and holds them until stdin closes.
 */
const [url, userId, token, countText] = process.argv.slice(2);
const count = Number(countText);
let ready = 0;
const aborts: AbortController[] = [];

async function open(): Promise<void> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(`${url}/api/${userId}/tasks/events`, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (res.status !== 200) throw new Error(`stream refused: ${res.status} ${await res.text()}`);
  const reader = res.body?.getReader();
  let text = '';
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
    if (done) return;
    text += decoder.decode(value, { stream: true });
    if (text.includes('event: ready')) break;
  }
  ready += 1;
  if (ready === count) process.stdout.write(`open ${count}\n`);
  // Keep reading (heartbeats) until aborted, without holding up the next batch.
  void (async () => {
    for (;;) {
      const { done } = (await reader?.read().catch(() => ({ done: true }))) ?? { done: true };
      if (done) return;
    }
  })();
}

// A few at a time: a thousand connections opened at once would be refused by the listen backlog.
for (let i = 0; i < count; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => open().catch(fail)));
}
process.stdin.resume();
process.stdin.on('end', () => {
  for (const abort of aborts) abort.abort();
  process.exit(0);
});

function fail(error: unknown): void {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
}
