import { codePoint } from './unsafe-characters.js';

/**
 * The rules on text people type and others read: a task's title, description and tags, a user's
 * name. One table of the characters refused everywhere, because they make text show something
 * other than what it holds (or hide what it holds), and the checks each kind of text adds to it.
 * The entity, the request schemas and Better Auth's hooks all call the functions below.
 */

interface RefusedCharacters {
  /** Finds each refused character (a global regex). */
  readonly find: RegExp;
  /** What to fix, followed by "(found …)". */
  readonly problem: string;
  /** How a message names what was found; by default its code point. */
  readonly found?: (match: string) => string;
  /** In text of several lines (a description): the characters of this kind it keeps. */
  readonly multiline?: { readonly keeps: string; readonly problem: string };
}

/** Checked in this order; the first kind found is the one a message names. */
export const REFUSED_CHARACTERS: readonly RefusedCharacters[] = [
  {
    // C0, DEL and C1: terminal escapes among them.
    find: /\p{Cc}/gu,
    problem: 'must not contain control characters',
    multiline: {
      keeps: '\n\r\t',
      problem: 'must not contain control characters other than line breaks and tabs',
    },
  },
  {
    // Embeddings, overrides and isolates reorder everything after them.
    find: /[\u202A-\u202E\u2066-\u2069]/gu,
    problem: 'must not contain bidirectional override or isolate characters',
  },
  {
    find: /[\p{Zl}\p{Zp}]/gu,
    problem: 'must not contain line or paragraph separators',
    multiline: {
      keeps: '',
      problem: 'must not contain line or paragraph separators, only ordinary line breaks',
    },
  },
  {
    // Invisible copies of ASCII: they can carry a hidden message.
    find: /[\u{E0000}-\u{E007F}]/gu,
    problem: 'must not contain invisible tag characters',
  },
  {
    find: /[\uFFF9-\uFFFB]/gu,
    problem: 'must not contain interlinear annotation characters',
  },
  {
    find: new RegExp(
      [
        // Format characters (direction marks, zero-width spaces, soft hyphens, U+FEFF…)…
        String.raw`(?![\u200C\u200D])\p{Cf}`,
        // …and the joiners where they join nothing: a joiner follows a letter, a mark or an
        // emoji, and precedes one, unless it ends a syllable after a virama (Malayalam chillus).
        String.raw`(?<![\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}])[\u200C\u200D]`,
        String.raw`(?<!\p{M})[\u200C\u200D](?![\p{L}\p{M}\p{Extended_Pictographic}])`,
        // A variation selector selects the form of the character before it: ❤️, 葛󠄀, 1️⃣.
        String.raw`(?<![\p{L}\p{N}\p{P}\p{S}])\p{Variation_Selector}`,
        // Code points reserved to show nothing, whatever they will one day be.
        String.raw`(?=\p{Cn})\p{Default_Ignorable_Code_Point}`,
      ].join('|'),
      'gu',
    ),
    problem: 'must not contain invisible formatting characters',
  },
  {
    find: /\p{Noncharacter_Code_Point}/gu,
    problem: 'must not contain noncharacters',
  },
  {
    // Each font gives these its own meaning: they show differently on each device.
    find: /\p{Co}/gu,
    problem: 'must not contain private-use characters',
  },
  {
    // Four are more than any script stacks; more pile over the lines around them. A joiner
    // between two marks keeps them on the same character.
    find: /\p{M}(?:[\u200C\u200D]*\p{M}){4,}/gu,
    problem: 'must not stack more than 4 combining marks on one character',
    found: (stack) => `${stack.match(/\p{M}/gu)?.length} in a row`,
  },
];

/**
 * The three emoji tag sequences in use (RGI): the flags of England, Scotland and Wales. Any
 * other tag character is refused, so nothing can hide in one.
 */
const SUBDIVISION_FLAG =
  /\u{1F3F4}\u{E0067}\u{E0062}(?:\u{E0065}\u{E006E}\u{E0067}|\u{E0073}\u{E0063}\u{E0074}|\u{E0077}\u{E006C}\u{E0073})\u{E007F}/gu;
const BLACK_FLAG = '\u{1F3F4}';

/** Why `text` holds a refused character, naming the first of the first kind found; or null. */
export function refusedCharacterProblem(text: string, { multiline = false } = {}): string | null {
  const scanned = text.replace(SUBDIVISION_FLAG, BLACK_FLAG);
  for (const rule of REFUSED_CHARACTERS) {
    const keeps = multiline ? (rule.multiline?.keeps ?? '') : '';
    for (const [match] of scanned.matchAll(rule.find)) {
      if (keeps.includes(match)) continue;
      const problem = multiline ? (rule.multiline?.problem ?? rule.problem) : rule.problem;
      return `${problem} (found ${(rule.found ?? codePoint)(match)})`;
    }
  }
  return null;
}

/**
 * What shows nothing: white space, what Unicode says to render as nothing (zero-width
 * characters, joiners, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0…), the braille blank.
 */
const BLANK = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** A letter, digit, punctuation mark or symbol that shows something. */
const VISIBLE = /(?![\p{Default_Ignorable_Code_Point}\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

/** True when nothing of `text` would show: empty, spaces, or only blank characters. */
export function isBlank(text: string): boolean {
  return text.replace(BLANK, '').length === 0;
}

/** A line that names something (a task's title, a user's name): it must show, and show truly. */
export function visibleLineProblem(text: string): string | null {
  if (isBlank(text)) return 'must not be empty';
  const refused = refusedCharacterProblem(text);
  if (refused) return refused;
  return VISIBLE.test(text) ? null : 'must contain a letter, digit, punctuation mark or symbol';
}

/** Text of several lines (a task's description): line breaks and tabs kept. */
export function multilineTextProblem(text: string): string | null {
  return refusedCharacterProblem(text, { multiline: true });
}

/** Letters of any script with their marks, digits, `-` and `_`. */
const LABEL = /^[\p{L}\p{M}\p{Nd}_-]+$/u;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
const MARK_WITHOUT_LETTER = /(?<![\p{L}\p{M}])\p{M}/u;

/**
 * A label compared by equality (a tag), already normalized: two labels that look the same must
 * be one, so nothing invisible (no joiner, filler or variation selector, even where text keeps
 * them), and a combining mark only on a letter (Devanagari and Thai need theirs).
 */
export function labelProblem(label: string): string | null {
  const refused = refusedCharacterProblem(label);
  if (refused) return refused;
  const invisible = INVISIBLE.exec(label)?.[0];
  if (invisible) {
    return `must not contain invisible characters such as fillers, joiners or variation selectors (found ${codePoint(invisible)})`;
  }
  if (!LABEL.test(label)) return 'may contain only letters, digits, "-" and "_"';
  const mark = MARK_WITHOUT_LETTER.exec(label)?.[0];
  if (mark) {
    return `may have combining marks (accents, vowel signs) only after a letter (found ${codePoint(mark)})`;
  }
  return null;
}
