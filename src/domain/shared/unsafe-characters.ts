/**
 * Characters that make text render differently from what it says: terminal escapes and other
 * controls, bidirectional overrides that reorder what follows them, and characters that show
 * nothing at all. Shared by every rule on text people type (task titles, user names).
 */

/** C0 controls, DEL and C1 controls (Unicode category Cc: U+0000–U+001F, U+007F–U+009F). */
const CONTROL = /\p{Cc}/gu;

/** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * What a reader cannot see: white space, and code points Unicode says to render as nothing when
 * unsupported (zero-width spaces and joiners, U+2060, U+FEFF, soft hyphens, variation selectors…).
 */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu;

/** "U+001B" for ESC: how a message names a character it cannot print. */
export function codePoint(character: string): string {
  const value = character.codePointAt(0) ?? 0;
  return `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first control character of `text` not in `allowed`, or null. */
export function firstControlCharacter(text: string, allowed = ''): string | null {
  for (const [character] of text.matchAll(CONTROL)) {
    if (!allowed.includes(character)) return character;
  }
  return null;
}

/** The first bidirectional embedding, override or isolate of `text`, or null. */
export function firstBidiControl(text: string): string | null {
  return BIDI_CONTROL.exec(text)?.[0] ?? null;
}

/** True when nothing of `text` would show: empty, spaces, or only invisible characters. */
export function isInvisible(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0;
}
