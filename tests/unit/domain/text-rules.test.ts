import { describe, expect, it } from '@jest/globals';
import { descriptionProblem, titleProblem } from '../../../src/domain/task/task-rules.js';
import { normalizeTag, normalizeTags, tagProblem } from '../../../src/domain/task/task-tags.js';
import { nameProblem } from '../../../src/infrastructure/auth/identity-rules.js';

/** Each field as a request fills it: titles and names trimmed, tags normalized. */
const FIELDS: [string, (text: string) => string | null][] = [
  ['title', (text) => titleProblem(text.trim())],
  ['description', descriptionProblem],
  ['tag', (text) => tagProblem(normalizeTag(text))],
  ['name', (text) => nameProblem(text.trim())],
];
const TEXT_FIELDS = FIELDS.filter(([field]) => field !== 'tag');

const hex = (text: string) =>
  `U+${text.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;

const FORMATTING = 'must not contain invisible formatting characters';
const TAG_CHARACTERS = 'must not contain invisible tag characters';

/** Every class of character refused everywhere, a few of each, and what a person is told. */
const REFUSED: [kind: string, characters: string[], problem: string][] = [
  ['a direction mark', ['\u200e', '\u200f', '\u061c'], FORMATTING],
  [
    'another format character',
    ['\u200b', '\u2060', '\ufeff', '\u00ad', '\u2062', '\u180e', '\u{1d173}'],
    FORMATTING,
  ],
  ['an unassigned invisible code point', ['\u2065', '\ufff0'], FORMATTING],
  [
    'a line or paragraph separator',
    ['\u2028', '\u2029'],
    'must not contain line or paragraph separators',
  ],
  [
    'a noncharacter',
    ['\ufffe', '\uffff', '\ufdd0', '\u{10ffff}'],
    'must not contain noncharacters',
  ],
  [
    'an interlinear annotation character',
    ['\ufff9', '\ufffa', '\ufffb'],
    'must not contain interlinear annotation characters',
  ],
  [
    'a private-use character',
    ['\ue000', '\uf8ff', '\u{f0000}', '\u{10fffd}'],
    'must not contain private-use characters',
  ],
  ['a tag character', ['\u{e0001}', '\u{e0041}', '\u{e0067}', '\u{e007f}'], TAG_CHARACTERS],
];

describe('the characters refused in every field', () => {
  describe.each(FIELDS)('in a %s', (_field, problemOf) => {
    for (const [kind, characters, problem] of REFUSED) {
      it.each(characters)(`refuses ${kind}, %j, naming it`, (character) => {
        expect(problemOf(`wo${character}rk`)).toMatch(problem);
        expect(problemOf(`wo${character}rk`)).toContain(`(found ${hex(character)})`);
      });
    }

    it.each([
      ['at the start', '\u200dwork'],
      ['after a space', 'a \u200db'],
      ['before a space', 'a\u200c b'],
      ['twice', 'a\u200d\u200db'],
    ])('refuses a joiner that joins nothing (%s)', (_where, text) => {
      expect(problemOf(text)).toMatch(FORMATTING);
    });

    it.each([
      ['at the start', '\ufe0fwork'],
      ['after a space', 'work \ufe0f'],
      ['after another selector', 'work\ufe0f\ufe0f'],
    ])('refuses a variation selector with nothing to select (%s)', (_where, text) => {
      expect(problemOf(text)).toMatch(FORMATTING);
      expect(problemOf(text)).toContain('(found U+FE0F)');
    });

    it('refuses more than 4 combining marks in a row, and says how many', () => {
      // After an x: no precomposed letter absorbs the first mark.
      expect(problemOf(`wx${'\u0301'.repeat(20)}rk`)).toMatch(
        'must not stack more than 4 combining marks on one character (found 20 in a row)',
      );
      expect(problemOf(`x${'\u0300\u0301\u0302\u0303\u0304'}b`)).toMatch(/found 5 in a row/);
      // Joiners stay in the character they follow, and so do the marks after them.
      expect(problemOf(`x${'\u0336\u200d'.repeat(10)}b`)).toMatch(/found 10 in a row/);
    });

    it('refuses emoji tag sequences other than the flags of England, Scotland and Wales', () => {
      const californiaFlag = '\u{1f3f4}\u{e0075}\u{e0073}\u{e0063}\u{e0061}\u{e007f}';
      const smuggled = `ok\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e0069}\u{e007f}`;
      expect(problemOf(`go ${californiaFlag}`)).toMatch(TAG_CHARACTERS);
      expect(problemOf(smuggled)).toMatch(TAG_CHARACTERS);
    });
  });
});

describe('what keeps working in titles, descriptions and names', () => {
  const TEXTS: [string, string][] = [
    ['a family (ZWJ sequence)', 'Call 👨‍👩‍👧'],
    ['a technologist', 'Ask 👩‍💻'],
    ['a skin tone in a ZWJ sequence', '🧑🏽‍💻 review'],
    ['the rainbow flag (VS16 then ZWJ)', 'Parade 🏳️‍🌈'],
    ['a heart on fire', '❤️‍🔥 gift'],
    ['a woman running', '🏃‍♀️ 5 km'],
    ['a red heart (VS16)', 'Mum ❤️'],
    ['a text-style heart (VS15)', 'Mum ❤︎'],
    ['a keycap', 'Step 1️⃣ then #️⃣'],
    ['a country flag', 'Trip 🇫🇷'],
    ['the flag of England', 'Match 🏴󠁧󠁢󠁥󠁮󠁧󠁿'],
    ['the flags of Scotland and Wales', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 vs 🏴󠁧󠁢󠁷󠁬󠁳󠁿'],
    ['Arabic', 'مرحبا بالعالم'],
    ['Arabic with vowel marks', 'مَرْحَبًا'],
    ['Hebrew', 'שלום עולם'],
    ['Hebrew with points', 'שָׁלוֹם'],
    ['Persian with a zero-width non-joiner', 'می‌خواهم بروم'],
    ['Devanagari', 'हिंदी में लिखें'],
    ['Devanagari with a ZWJ after the virama', 'क्‍ष'],
    ['Sinhala with a ZWJ', 'ශ්‍රී ලංකා'],
    ['Malayalam with an old-style chillu (ZWJ ending the word)', 'അവന്‍ വന്നു'],
    ['Thai', 'ภาษาไทย น้ำ'],
    ['Vietnamese, decomposed', 'Tie\u0302\u0301ng Vie\u0323\u0302t'],
    ['Tibetan stacks', 'བསྒྲུབས'],
    ['CJK', '東京で会議'],
    ['a CJK ideographic variant', '葛\u{e0100}城市'],
    ['Korean', '한국어 공부'],
    ['Mongolian with a free variation selector', 'ᠠ᠋ᠮ'],
    ['4 combining marks in a row', `a${'\u0300\u0301\u0302\u0303'}b`],
    ['a zero-width joiner between letters', 'a\u200db'],
  ];

  describe.each(TEXT_FIELDS)('in a %s', (_field, problemOf) => {
    it.each(TEXTS)('accepts %s', (_case, text) => {
      expect(problemOf(text)).toBeNull();
    });
  });
});

describe('a title and a name show something', () => {
  describe.each([
    ['title', (text: string) => titleProblem(text.trim())],
    ['name', (text: string) => nameProblem(text.trim())?.replace(/^Name /, '') ?? null],
  ])('a %s', (_field, problemOf) => {
    it.each([
      ['the braille blank', '\u2800'],
      ['braille blanks and spaces', '\u2800 \u2800'],
      ['a Hangul filler', '\u3164'],
      ['a halfwidth Hangul filler', '\uffa0'],
      ['the Hangul choseong and jungseong fillers', '\u115f\u1160'],
      ['a combining grapheme joiner', '\u034f'],
      ['zero-width characters', '\u200b\u200d\u2060'],
    ])('of only %s is empty', (_case, text) => {
      expect(problemOf(text)).toBe('must not be empty');
    });

    it.each([
      ['one combining mark', '\u0301'],
      ['a few combining marks', '\u0301\u0308\u0327'],
      ['an enclosing keycap', '\u20e3'],
    ])('of only %s must show a letter, digit, punctuation or symbol', (_case, text) => {
      expect(problemOf(text)).toBe('must contain a letter, digit, punctuation mark or symbol');
    });

    it.each(['.', '7', '€', '😀', 'Ω', '\u2800x', '\u3164a'])('of %j is visible', (text) => {
      expect(problemOf(text)).toBeNull();
    });
  });
});

describe('tags that look alike are one tag, or refused', () => {
  it('normalizes compatibility forms with NFKC: full-width letters, ligatures, circled digits', () => {
    expect(normalizeTags(['work', 'ｗｏｒｋ', 'ＷＯＲＫ', 'ﬁle', 'file', '①'])).toEqual([
      'work',
      'file',
      '1',
    ]);
  });

  it('normalizes to a form that normalizing again does not change, for every code point', () => {
    const moved: string[] = [];
    for (let value = 0; value <= 0x10ffff; value++) {
      if (value >= 0xd800 && value <= 0xdfff) continue;
      const once = normalizeTag(String.fromCodePoint(value));
      if (normalizeTag(once) !== once) moved.push(hex(String.fromCodePoint(value)));
    }
    expect(moved).toEqual([]);
  });

  it.each([
    ['a Hangul filler', 'work\u3164', 'U+1160'], // NFKC makes U+3164 the jungseong filler
    ['a halfwidth Hangul filler', 'work\uffa0', 'U+1160'],
    ['the Hangul choseong filler', 'work\u115f', 'U+115F'],
    ['a combining grapheme joiner', 'work\u034f', 'U+034F'],
    ['a variation selector after a letter', 'work\ufe0f', 'U+FE0F'],
    ['an ideographic variation selector', '葛\u{e0100}', 'U+E0100'],
    ['a zero-width joiner between letters', 'wo\u200drk', 'U+200D'],
    ['a zero-width non-joiner between letters', 'می‌خواهم', 'U+200C'],
  ])('refuses %s, which shows nothing', (_case, tag, found) => {
    expect(tagProblem(normalizeTag(tag))).toBe(
      `must not contain invisible characters such as fillers, joiners or variation selectors (found ${found})`,
    );
  });

  it.each([
    ['first', '\u0301work', 'U+0301'],
    ['after a digit', 'work1\u0301', 'U+0301'],
    ['after "-"', 'work-\u0301', 'U+0301'],
    ['after "_"', 'work_\u0308', 'U+0308'],
  ])('refuses a combining mark %s, with no letter to sit on', (_case, tag, found) => {
    expect(tagProblem(normalizeTag(tag))).toBe(
      `may have combining marks (accents, vowel signs) only after a letter (found ${found})`,
    );
  });

  it.each([
    ['Devanagari', 'हिंदी'],
    ['Devanagari with a nukta', 'ज़िंदगी'],
    ['Thai', 'ภาษาไทย'],
    ['Thai with tone marks', 'น้ำ'],
    ['Arabic', 'عربي'],
    ['Hebrew', 'עברית'],
    ['CJK', '日本語'],
    ['Korean', '한국어'],
    ['Vietnamese', 'tiếng-việt'],
    ['a letter with an accent it has no precomposed form for', 'q\u0301'],
    ['Tibetan', 'བསྒྲུབས'],
  ])('accepts a tag in %s', (_case, tag) => {
    expect(tagProblem(normalizeTag(tag))).toBeNull();
  });
});
