/** How often a task comes back once it is done. */
export const RECURRENCES = ['daily', 'weekly', 'monthly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When the occurrence after one due at `dueAt` is due, in UTC: one day, seven days or one
 * calendar month later. A month later keeps the day of the month where the month has it, and
 * takes its last day otherwise (31 January → 28 or 29 February).
 */
export function nextDueAt(dueAt: Date, recurrence: Recurrence): Date {
  if (recurrence === 'daily') return new Date(dueAt.getTime() + DAY_MS);
  if (recurrence === 'weekly') return new Date(dueAt.getTime() + 7 * DAY_MS);
  const next = new Date(dueAt);
  const day = dueAt.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  next.setUTCDate(Math.min(day, daysInMonth(next.getUTCFullYear(), next.getUTCMonth())));
  return next;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}
