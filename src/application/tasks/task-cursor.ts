import type { Task } from '../../domain/task/task.js';
import { isPriority } from '../../domain/task/priority.js';
import { toTaskId } from '../../domain/task/task-id.js';
import { storableTitleProblem } from '../../domain/task/task-rules.js';
import {
  TASK_SORT_FIELDS,
  type SortOrder,
  type TaskPosition,
  type TaskSortField,
} from '../../domain/task/task-repository.port.js';
import { InvalidCursorError } from './task.errors.js';
import { MAX_CURSOR_LENGTH } from './task.view.js';

/** What a cursor carries: the ordering it belongs to and where the last page ended. */
interface CursorPayload {
  s: TaskSortField;
  o: SortOrder;
  v: string | null;
  i: string;
}

/** A timestamp as `encodeCursor` writes it (Date#toISOString, years 0000–9999). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The sort value of a task, as a cursor carries it. */
function sortValueOf(task: Task, sort: TaskSortField): string | null {
  if (sort === 'title' || sort === 'priority') return task[sort];
  if (sort === 'dueAt') return task.dueAt?.toISOString() ?? null;
  return task[sort].toISOString();
}

export function encodeCursor(last: Task, sort: TaskSortField, order: SortOrder): string {
  const payload: CursorPayload = { s: sort, o: order, v: sortValueOf(last, sort), i: last.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Reads a cursor issued by `encodeCursor` for the same sort and order. Filters may change between
 * pages: the cursor is a position in the order, and the next page starts after it whatever shows.
 */
export function decodeCursor(cursor: string, sort: TaskSortField, order: SortOrder): TaskPosition {
  const payload = parse(cursor);
  if (payload.s !== sort || payload.o !== order) {
    throw new InvalidCursorError(
      `belongs to sort=${payload.s}&order=${payload.o}; keep the sort and order of the first page`,
    );
  }
  // Unsigned, so read as untrusted: only values a real task could have reach the database.
  const id = toTaskId(payload.i);
  if (id === null) throw malformed();
  return { value: positionValue(sort, payload.v), id };
}

function positionValue(sort: TaskSortField, value: string | null): TaskPosition['value'] {
  if (value === null) {
    if (sort !== 'dueAt') throw malformed();
    return null;
  }
  if (sort === 'title') {
    if (storableTitleProblem(value) !== null) throw malformed();
    return value;
  }
  if (sort === 'priority') {
    if (!isPriority(value)) throw malformed();
    return value;
  }
  const date = new Date(value);
  if (!ISO_INSTANT.test(value) || date.toISOString() !== value) throw malformed();
  return date;
}

function parse(cursor: string): CursorPayload {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw malformed();
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!isPayload(data)) throw malformed();
  return data;
}

function isPayload(data: unknown): data is CursorPayload {
  if (typeof data !== 'object' || data === null) return false;
  const p = data as Record<string, unknown>;
  return (
    (TASK_SORT_FIELDS as readonly unknown[]).includes(p.s) &&
    (p.o === 'asc' || p.o === 'desc') &&
    (typeof p.v === 'string' || p.v === null) &&
    typeof p.i === 'string'
  );
}

function malformed(): InvalidCursorError {
  return new InvalidCursorError('is not a cursor this API returned; use nextCursor as given');
}
