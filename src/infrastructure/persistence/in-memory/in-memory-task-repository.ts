import type { Clock } from '../../../application/shared/clock.port.js';
import { Task, type TaskSnapshot } from '../../../domain/task/task.js';
import { priorityRank, type Priority } from '../../../domain/task/priority.js';
import type {
  AddOutcome,
  FollowUp,
  TaskFilter,
  TaskListQuery,
  TaskPosition,
  TaskRepository,
  TaskSortField,
  UpdateOutcome,
  WriteOutcome,
} from '../../../domain/task/task-repository.port.js';
import { searchNeedle, searchTextOf } from '../../../domain/task/task-search.js';
import { SystemClock } from '../../system/system-clock.js';
import { InMemoryTaskChangeFeed } from './in-memory-task-change-feed.js';

/**
 * Keeps tasks in a Map, as snapshots, so callers never share state with the store: the same
 * promise a database makes. Each write checks and changes in one synchronous step, as one
 * conditional statement would, and records its change in `changeFeed` in that same step. Used by
 * unit tests and as a fast stand-in in benchmarks.
 */
export class InMemoryTaskRepository implements TaskRepository {
  private readonly rows = new Map<string, TaskSnapshot>();
  /** Erased owners, until when no task of theirs may be added (epoch ms). */
  private readonly closed = new Map<string, number>();
  /** What changed in each owner's tasks; `clock` dates each change. */
  readonly changeFeed: InMemoryTaskChangeFeed;

  constructor(clock: Clock = new SystemClock()) {
    this.changeFeed = new InMemoryTaskChangeFeed((ownerId, taskId) => {
      const row = this.rows.get(taskId);
      return row && row.ownerId === ownerId ? Task.fromSnapshot(row) : null;
    }, clock);
  }

  async add(task: Task, maxPerOwner: number | null = null): Promise<AddOutcome> {
    return this.insert(task, maxPerOwner);
  }

  /** Synchronous, so an update and its follow-up are one step, as in one transaction. */
  private insert(task: Task, maxPerOwner: number | null): AddOutcome {
    if (this.rows.has(task.id)) throw new Error(`Task ${task.id} already exists`);
    if ((this.closed.get(task.ownerId) ?? 0) > task.createdAt.getTime()) return 'owner-closed';
    if (maxPerOwner !== null && this.countOf(task.ownerId) >= maxPerOwner) return 'limit-reached';
    this.rows.set(task.id, task.toSnapshot());
    this.changeFeed.record(task.ownerId, task.id, false);
    return 'added';
  }

  async findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    const row = this.rows.get(taskId);
    return row && row.ownerId === ownerId ? Task.fromSnapshot(row) : null;
  }

  async update(task: Task, expectedVersion: number, followUp?: FollowUp): Promise<UpdateOutcome> {
    const row = this.rows.get(task.id);
    if (!row || row.ownerId !== task.ownerId) return 'missing';
    if (row.version !== expectedVersion) return 'changed';
    if (followUp) {
      const added = this.insert(followUp.task, followUp.maxPerOwner);
      if (added === 'limit-reached') return added;
      if (added === 'owner-closed') return 'missing';
    }
    this.rows.set(task.id, task.toSnapshot());
    this.changeFeed.record(task.ownerId, task.id, false);
    return 'done';
  }

  async removeOwned(
    ownerId: string,
    taskId: string,
    versions?: readonly number[],
  ): Promise<WriteOutcome> {
    const row = this.rows.get(taskId);
    if (!row || row.ownerId !== ownerId) return 'missing';
    if (versions && !versions.includes(row.version)) return 'changed';
    this.rows.delete(taskId);
    this.changeFeed.record(ownerId, taskId, true);
    return 'done';
  }

  async eraseOwner(ownerId: string, closedUntil: Date): Promise<void> {
    this.closed.set(ownerId, closedUntil.getTime());
    const erased = [...this.rows.values()].filter((row) => row.ownerId === ownerId);
    for (const { id } of erased.sort((a, b) => compareText(a.id, b.id))) {
      this.rows.delete(id);
      this.changeFeed.record(ownerId, id, true);
    }
  }

  private countOf(ownerId: string): number {
    let count = 0;
    for (const row of this.rows.values()) if (row.ownerId === ownerId) count++;
    return count;
  }

  async list(query: TaskListQuery): Promise<Task[]> {
    const { after } = query;
    const compare = orderOf(query);
    return [...this.rows.values()]
      .filter((row) => row.ownerId === query.ownerId && matches(row, query))
      .filter((row) => !after || compare(row, after) > 0)
      .sort((a, b) => compare(a, positionOf(b, query.sort)))
      .slice(0, query.limit)
      .map(Task.fromSnapshot);
  }
}

function matches(row: TaskSnapshot, filter: TaskFilter): boolean {
  const { status, priorities, tags, text, dueAfter, dueBefore, overdueAt } = filter;
  if (status !== 'all' && row.completed !== (status === 'completed')) return false;
  if (priorities && !priorities.includes(row.priority)) return false;
  if (tags && !tags.every((tag) => row.tags.includes(tag))) return false;
  if (text !== undefined && !searchTextOf(row).includes(searchNeedle(text))) return false;
  const due = row.dueAt?.getTime();
  if ((dueAfter || dueBefore || overdueAt) && due === undefined) return false;
  if (dueAfter && due! < dueAfter.getTime()) return false;
  if (dueBefore && due! >= dueBefore.getTime()) return false;
  if (overdueAt && (row.completed || due! >= overdueAt.getTime())) return false;
  return true;
}

function positionOf(row: TaskSnapshot, sort: TaskSortField): TaskPosition {
  return { value: sort === 'dueAt' ? row.dueAt : row[sort], id: row.id };
}

/** Sort value, then id, in the query's direction; tasks without a due date last either way. */
function orderOf({ sort, order }: TaskListQuery) {
  const direction = order === 'asc' ? 1 : -1;
  return (row: TaskSnapshot, position: TaskPosition): number => {
    const a = positionOf(row, sort).value;
    const b = position.value;
    if (a === null || b === null) {
      if (a !== b) return a === null ? 1 : -1;
    } else {
      const byValue = compareValues(a, b, sort);
      if (byValue !== 0) return direction * byValue;
    }
    return direction * compareText(row.id, position.id);
  };
}

function compareValues(a: Date | string, b: Date | string, sort: TaskSortField): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (sort === 'priority') return priorityRank(a as Priority) - priorityRank(b as Priority);
  return compareText(String(a), String(b));
}

/** Code point order, as PostgreSQL's "C" collation and SQLite's BINARY compare. */
function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
