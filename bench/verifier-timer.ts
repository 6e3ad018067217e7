import type { TokenVerifier } from '../src/application/auth/token-verifier.port.js';

export interface VerifierResult {
  /** Time per check, one call at a time, back to back. */
  readonly microsPerCall: number;
  readonly calls: number;
}

/** Checks not counted before the measured ones: the JIT, the key set and the pools settle. */
const WARM_UP_CALLS = 200;

/**
 * Checks one token after another, each awaited before the next, for up to `seconds` or until
 * `next` runs dry; every check must name `userId`.
 */
export async function timeVerifier(
  verifier: TokenVerifier,
  userId: string,
  next: () => string | undefined,
  seconds: number,
): Promise<VerifierResult> {
  const check = async (token: string) => {
    const { user } = await verifier.verify(token);
    if (user.id !== userId) throw new Error(`the verifier named ${user.id}, not ${userId}`);
  };
  for (let warm = 0; warm < WARM_UP_CALLS; warm++) {
    const token = next();
    if (token === undefined) break;
    await check(token);
  }
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  for (let token = next(); token !== undefined && performance.now() < end; token = next()) {
    await check(token);
    calls += 1;
  }
  if (calls === 0) throw new Error('no token was left to time');
  const micros = ((performance.now() - start) * 1000) / calls;
  return { microsPerCall: Math.round(micros * 10) / 10, calls };
}
