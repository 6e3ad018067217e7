import type { Task } from '../../domain/task/task.js';
import { toTaskId } from '../../domain/task/task-id.js';
import { storableTitleProblem } from '../../domain/task/task-rules.js';
import type {
  SortOrder,
  TaskPosition,
  TaskSortField,
} from '../../domain/task/task-repository.port.js';
import { InvalidCursorError } from './task.errors.js';

/** What a cursor carries: the ordering it belongs to and where the last page ended. */
interface CursorPayload {
  s: TaskSortField;
  o: SortOrder;
  v: string;
  i: string;
}

const MAX_CURSOR_LENGTH = 2048;

/** A timestamp as `encodeCursor` writes it (Date#toISOString, years 0000–9999). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(last: Task, sort: TaskSortField, order: SortOrder): string {
  const value = sort === 'title' ? last.title : last[sort].toISOString();
  const payload: CursorPayload = { s: sort, o: order, v: value, i: last.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Reads a cursor issued by `encodeCursor` for the same sort and order. */
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
  if (sort === 'title') {
    if (storableTitleProblem(payload.v) !== null) throw malformed();
    return { value: payload.v, id };
  }
  const date = new Date(payload.v);
  if (!ISO_INSTANT.test(payload.v) || date.toISOString() !== payload.v) throw malformed();
  return { value: date, id };
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
    (p.s === 'createdAt' || p.s === 'updatedAt' || p.s === 'title') &&
    (p.o === 'asc' || p.o === 'desc') &&
    typeof p.v === 'string' &&
    typeof p.i === 'string'
  );
}

function malformed(): InvalidCursorError {
  return new InvalidCursorError('is not a cursor this API returned; use nextCursor as given');
}
