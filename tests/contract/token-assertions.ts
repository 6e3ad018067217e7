import { expect } from '@jest/globals';
import { InvalidTokenError } from '../../src/application/auth/auth.errors.js';

/**
 * Awaits a verification that must be refused with InvalidTokenError (never resolve, never another
 * error) and checks its description is a short, one-line sentence a client may see: it echoes
 * neither the token nor any of `secrets`, and carries no library message or JSON.
 */
export async function expectInvalidToken(
  verification: Promise<unknown>,
  token: string,
  ...secrets: string[]
): Promise<void> {
  await expect(verification).rejects.toBeInstanceOf(InvalidTokenError);
  const error = (await verification.then(
    () => undefined,
    (reason: unknown) => reason,
  )) as InvalidTokenError;
  expect(error.type).toBe('InvalidToken');
  const { description } = error;
  expect(description).toMatch(/^[A-Z][^\r\n"{}]{4,99}$/);
  const parts = token.split('.').filter((part) => part.length >= 8);
  const echoes = [token, ...parts, ...secrets].filter((echo) => echo.length >= 3);
  for (const echo of echoes) expect(description).not.toContain(echo);
}

/** Copies of `token` with one character replaced, at the start, the middle and the end. */
export function withOneCharacterChanged(token: string): string[] {
  // Never next to a '.', where base64url's unused low bits could leave the decoded bytes unchanged.
  const safe = (i: number): boolean => token[i] !== '.' && token[i + 1] !== '.';
  let middle = Math.floor(token.length / 2);
  while (!safe(middle)) middle++;
  return [0, middle, token.length - 2].map((i) => {
    const replacement = token[i] === 'A' ? 'B' : 'A';
    return token.slice(0, i) + replacement + token.slice(i + 1);
  });
}
