import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { transformSync } from 'esbuild';
import { isOverdue, parseTags } from '../../../src/web/task-format.js';

// The page works in the browser's time zone, which for Node is TZ, read once per process (and
// Jest's process.env is only a copy): what depends on the zone runs in a Node child with its own.
const MODULE = transformSync(
  readFileSync(new URL('../../../src/web/task-format.ts', import.meta.url), 'utf8'),
  { loader: 'ts', format: 'esm' },
).code;

/** Evaluates `expression` (JSON-able) in a Node whose zone is `zone`, with the module in scope. */
function inZone(zone: string, expression: string): unknown {
  const script = `${MODULE}\nconsole.log(JSON.stringify(${expression}));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', TZ: zone },
    encoding: 'utf8',
  });
  return JSON.parse(out) as unknown;
}

describe('the task page’s dates and tags', () => {
  describe('toInstant: a datetime-local value as RFC 3339 with the zone’s offset', () => {
    it.each([
      ['Europe/Berlin', '2030-01-15T09:30', '2030-01-15T09:30:00+01:00'],
      ['Europe/Berlin', '2030-07-15T09:30', '2030-07-15T09:30:00+02:00'],
      ['Europe/Berlin', '2030-07-15T09:30:45', '2030-07-15T09:30:45+02:00'],
      ['America/New_York', '2030-01-15T23:59', '2030-01-15T23:59:00-05:00'],
      ['America/St_Johns', '2030-01-15T09:00', '2030-01-15T09:00:00-03:30'],
      ['Asia/Kolkata', '2030-01-15T09:00', '2030-01-15T09:00:00+05:30'],
      ['UTC', '2030-01-15T09:00', '2030-01-15T09:00:00+00:00'],
    ])('in %s, %s is %s, the same instant', (zone, local, instant) => {
      const [sent, meant] = inZone(
        zone,
        `[toInstant('${local}'), new Date('${local}').getTime()]`,
      ) as [string, number];
      expect(sent).toBe(instant);
      expect(Date.parse(sent)).toBe(meant);
    });

    it('moves a wall time that the spring clock change skips to one that exists', () => {
      // 02:30 on 31 March 2030 does not exist in Berlin: clocks go from 02:00 to 03:00.
      const instant = inZone('Europe/Berlin', `toInstant('2030-03-31T02:30')`);
      expect(instant).toBe('2030-03-31T03:30:00+02:00');
    });

    it('is null for what is not a date and time', () => {
      const bad = ['', '2030-01-15', '2030-13-01T09:00', 'tomorrow', '2030-01-15T9:00'];
      expect(inZone('Europe/Berlin', `${JSON.stringify(bad)}.map(toInstant)`)).toEqual(
        bad.map(() => null),
      );
    });
  });

  describe('toLocalInput: an instant as a datetime-local value', () => {
    it('shows the wall time in the browser’s zone, seconds only when there are some', () => {
      expect(
        inZone(
          'Europe/Berlin',
          `[toLocalInput('2030-07-15T07:30:00.000Z'), toLocalInput('2030-01-15T08:30:15.000Z')]`,
        ),
      ).toEqual(['2030-07-15T09:30', '2030-01-15T09:30:15']);
      expect(inZone('America/New_York', `toLocalInput('2030-01-15T08:30:00.000Z')`)).toBe(
        '2030-01-15T03:30',
      );
    });

    it('round-trips through toInstant', () => {
      const locals = ['2030-01-15T09:30', '2030-07-15T18:05', '2030-10-27T01:15'];
      const back = `${JSON.stringify(locals)}.map((l) => toLocalInput(toInstant(l)))`;
      expect(inZone('Europe/Berlin', back)).toEqual(locals);
      expect(inZone('Asia/Kolkata', back)).toEqual(locals);
    });
  });

  describe('formatDue', () => {
    const now = Date.parse('2030-02-01T12:00:00Z');
    const format = (zone: string, instant: string, locale: string) =>
      inZone(zone, `formatDue('${instant}', ${now}, '${locale}')`);

    it('writes the day and time the locale’s way, without the year in this year', () => {
      expect(format('Europe/Berlin', '2030-03-05T08:30:00.000Z', 'en-GB')).toMatch(
        /^Tue,? 5 Mar,? 09:30$/,
      );
      expect(format('Europe/Berlin', '2030-03-05T08:30:00.000Z', 'en-US')).toMatch(
        /^Tue,? Mar 5,? 9:30\sAM$/,
      );
    });

    it('adds the year when it is another one', () => {
      expect(format('Europe/Berlin', '2031-03-04T08:30:00.000Z', 'en-GB')).toMatch(
        /^Tue,? 4 Mar 2031,? 09:30$/,
      );
    });

    it('uses the browser’s zone', () => {
      expect(format('Asia/Tokyo', '2030-03-05T20:30:00.000Z', 'en-GB')).toMatch(
        /^Wed,? 6 Mar,? 05:30$/,
      );
    });
  });

  describe('isOverdue', () => {
    const now = Date.parse('2030-02-01T12:00:00Z');

    it('is true for a pending task due before now', () => {
      expect(isOverdue({ completed: false, dueAt: '2030-02-01T11:59:59.999Z' }, now)).toBe(true);
    });

    it.each([
      ['completed', { completed: true, dueAt: '2030-01-01T00:00:00.000Z' }],
      ['due now', { completed: false, dueAt: '2030-02-01T12:00:00.000Z' }],
      ['due later', { completed: false, dueAt: '2030-02-02T00:00:00.000Z' }],
      ['without a due date', { completed: false, dueAt: null }],
    ])('is false for a task %s', (_, task) => {
      expect(isOverdue(task, now)).toBe(false);
    });
  });

  describe('parseTags', () => {
    it.each([
      ['work, home', ['work', 'home']],
      ['work home\tgarden\nkids', ['work', 'home', 'garden', 'kids']],
      ['  Home, #garden  home ,HOME', ['home', 'garden']],
      ['ÉTÉ 日本 a-b_c', ['été', '日本', 'a-b_c']],
      ['e\u0301te\u0301, \u00e9t\u00e9', ['été']],
      ['ｗｏｒｋ, ＷＯＲＫ ﬁle', ['work', 'file']], // NFKC, as the API stores them
      [', ,, ', []],
      ['', []],
    ])('reads %p as %p', (text, tags) => {
      expect(parseTags(text)).toEqual(tags);
    });

    it('leaves a tag the API will refuse as it is, for the API to name', () => {
      expect(parseTags('ok no!way')).toEqual(['ok', 'no!way']);
    });
  });
});
