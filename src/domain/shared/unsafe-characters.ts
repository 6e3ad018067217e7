/**
 * How rules on text find and name a character: shared by the text rules (`text-rules.ts`) and
 * by the search text, which is never stored and only has to be free of control characters.
 */

/** C0 controls, DEL and C1 controls (Unicode category Cc: U+0000–U+001F, U+007F–U+009F). */
const CONTROL = /\p{Cc}/u;

/** "U+001B" for ESC: how a message names a character it cannot print. */
export function codePoint(character: string): string {
  const value = character.codePointAt(0) ?? 0;
  return `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first control character of `text`, or null. */
export function firstControlCharacter(text: string): string | null {
  return CONTROL.exec(text)?.[0] ?? null;
}
