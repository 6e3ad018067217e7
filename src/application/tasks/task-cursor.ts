import type { Task } from '../../domain/task/task.js';
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
  if (sort === 'title') return { value: payload.v, id: payload.i };
  const date = new Date(payload.v);
  if (Number.isNaN(date.getTime())) throw malformed();
  return { value: date, id: payload.i };
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
