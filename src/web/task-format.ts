import type { Task } from '../client/tasks-client.js';

/**
 * How the page reads and shows a task's tags and due date. Plain functions of text and time (no
 * DOM), in the browser's time zone and locale, so unit tests can pin both.
 */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * The instant a `datetime-local` value (`2026-03-01T09:00`, seconds optional) names in the
 * browser's time zone, as RFC 3339 with that zone's offset then: `2026-03-01T09:00:00+01:00`.
 * A wall time that a clock change skips is moved the way the browser moves it. Null for a value
 * that is not a date and time.
 */
export function toInstant(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local)) return null;
  const date = new Date(local); // without an offset, ECMAScript reads it as local time
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const hours = pad(Math.floor(Math.abs(offset) / 60));
  const minutes = pad(Math.abs(offset) % 60);
  return `${wallTime(date)}:${pad(date.getSeconds())}${sign}${hours}:${minutes}`;
}

/** An instant as a `datetime-local` value in the browser's time zone (seconds only if any). */
export function toLocalInput(instant: string): string {
  const date = new Date(instant);
  const seconds = date.getSeconds();
  return seconds === 0 ? wallTime(date) : `${wallTime(date)}:${pad(seconds)}`;
}

function wallTime(date: Date): string {
  const day = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };

/**
 * A due date in the person's locale: `Tue, 3 Mar, 09:30` (en-GB), `Tue, Mar 3, 9:30 AM` (en-US),
 * with the year when it is not this one. Day and time are formatted apart so that the time
 * takes the locale's own short style (its 12 or 24 hours, its leading zero).
 */
export function formatDue(instant: string, now = Date.now(), locale?: string): string {
  const date = new Date(instant);
  const day: Intl.DateTimeFormatOptions =
    date.getFullYear() === new Date(now).getFullYear() ? DAY : { ...DAY, year: 'numeric' };
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
  return `${new Intl.DateTimeFormat(locale, day).format(date)}, ${time}`;
}

/** In full, with the time zone: for a tooltip. */
export function formatDueInFull(instant: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(instant));
}

/** Pending and due before now, as the API's `overdue=true` counts it. */
export function isOverdue(task: Pick<Task, 'completed' | 'dueAt'>, now = Date.now()): boolean {
  return !task.completed && task.dueAt !== null && Date.parse(task.dueAt) < now;
}

/**
 * The tags typed into a field, separated by commas or spaces, a leading `#` dropped, in the form
 * the API stores them (its `normalizeTag`: NFKC, lower-cased, NFKC, trimmed), duplicates merged.
 * The API checks what is left and says what it refuses.
 */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^#+/, '').normalize('NFKC').toLowerCase().normalize('NFKC').trim())
    .filter((tag) => tag !== '');
  return [...new Set(tags)];
}
