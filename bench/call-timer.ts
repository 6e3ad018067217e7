/** Concurrent callers for the throughput figure, as under HTTP load (20 connections). */
export const IN_FLIGHT = 16;

export interface Timing {
  /** Throughput with IN_FLIGHT calls outstanding at once (WebCrypto and PostgreSQL overlap). */
  readonly perSecond: number;
  /** Latency of one call at a time, back to back. */
  readonly microsPerCall: number;
  readonly calls: number;
}

/** Where a phase takes its tokens from; a phase also ends when its supply runs dry. */
export type TokenSupply = (phase: 'warm-up' | 'alone' | 'together') => () => string | undefined;

/** The same token, forever. */
export const always =
  (token: string): TokenSupply =>
  () =>
  () =>
    token;

/** Each token once: 10 % for the warm-up, 45 % for each measured phase. */
export function each(tokens: readonly string[]): TokenSupply {
  const cut = (from: number, to: number) => {
    const slice = tokens.slice(Math.floor(from * tokens.length), Math.floor(to * tokens.length));
    let next = 0;
    return () => slice[next++];
  };
  const phases = { 'warm-up': cut(0, 0.1), alone: cut(0.1, 0.55), together: cut(0.55, 1) };
  return (phase) => phases[phase];
}

/**
 * Times `check`: a short warm-up, then up to `seconds` one call at a time, then up to `seconds`
 * with IN_FLIGHT calls at once.
 */
export async function timeCalls(
  check: (token: string) => Promise<void>,
  supply: TokenSupply,
  seconds: number,
): Promise<Timing> {
  await loop(check, supply('warm-up'), Math.min(0.5, seconds / 2), 1);
  const alone = await loop(check, supply('alone'), seconds, 1);
  const together = await loop(check, supply('together'), seconds, IN_FLIGHT);
  return {
    perSecond: Math.round((together.calls * 1000) / together.elapsedMs),
    microsPerCall: Math.round(((alone.elapsedMs * 1000) / alone.calls) * 10) / 10,
    calls: alone.calls + together.calls,
  };
}

async function loop(
  check: (token: string) => Promise<void>,
  next: () => string | undefined,
  seconds: number,
  lanes: number,
): Promise<{ calls: number; elapsedMs: number }> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let calls = 0;
  const lane = async () => {
    for (let token = next(); token !== undefined && performance.now() < end; token = next()) {
      await check(token);
      calls += 1;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (calls === 0) throw new Error('no token was left to time');
  return { calls, elapsedMs: performance.now() - start };
}
