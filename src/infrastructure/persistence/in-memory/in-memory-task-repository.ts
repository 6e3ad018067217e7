import { Task, type TaskSnapshot } from '../../../domain/task/task.js';
import type {
  TaskListQuery,
  TaskPosition,
  TaskRepository,
  AddOutcome,
  TaskSortField,
  WriteOutcome,
} from '../../../domain/task/task-repository.port.js';

/**
 * Keeps tasks in a Map, as snapshots, so callers never share state with the store: the same
 * promise a database makes. Each write checks and changes in one synchronous step, as one
 * conditional statement would. Used by unit tests and as a fast stand-in in benchmarks.
 */
export class InMemoryTaskRepository implements TaskRepository {
  private readonly rows = new Map<string, TaskSnapshot>();
  /** Erased owners, until when no task of theirs may be added (epoch ms). */
  private readonly closed = new Map<string, number>();

  async add(task: Task, maxPerOwner: number | null = null): Promise<AddOutcome> {
    if (this.rows.has(task.id)) throw new Error(`Task ${task.id} already exists`);
    if ((this.closed.get(task.ownerId) ?? 0) > task.createdAt.getTime()) return 'owner-closed';
    if (maxPerOwner !== null && this.countOf(task.ownerId) >= maxPerOwner) return 'limit-reached';
    this.rows.set(task.id, task.toSnapshot());
    return 'added';
  }

  async findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    const row = this.rows.get(taskId);
    return row && row.ownerId === ownerId ? Task.fromSnapshot(row) : null;
  }

  async update(task: Task, expectedVersion: number): Promise<WriteOutcome> {
    const row = this.rows.get(task.id);
    if (!row || row.ownerId !== task.ownerId) return 'missing';
    if (row.version !== expectedVersion) return 'changed';
    this.rows.set(task.id, task.toSnapshot());
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
    return 'done';
  }

  async eraseOwner(ownerId: string, closedUntil: Date): Promise<void> {
    this.closed.set(ownerId, closedUntil.getTime());
    for (const [id, row] of this.rows) if (row.ownerId === ownerId) this.rows.delete(id);
  }

  private countOf(ownerId: string): number {
    let count = 0;
    for (const row of this.rows.values()) if (row.ownerId === ownerId) count++;
    return count;
  }

  async list(query: TaskListQuery): Promise<Task[]> {
    const direction = query.order === 'asc' ? 1 : -1;
    const compare = (a: TaskSnapshot, b: TaskPosition): number =>
      direction * (compareValues(sortValue(a, query.sort), b.value) || compareText(a.id, b.id));
    const { after } = query;
    return [...this.rows.values()]
      .filter((row) => row.ownerId === query.ownerId && matchesStatus(row, query.status))
      .filter((row) => !after || compare(row, after) > 0)
      .sort((a, b) => compare(a, { value: sortValue(b, query.sort), id: b.id }))
      .slice(0, query.limit)
      .map(Task.fromSnapshot);
  }
}

function matchesStatus(row: TaskSnapshot, status: TaskListQuery['status']): boolean {
  return status === 'all' || row.completed === (status === 'completed');
}

function sortValue(row: TaskSnapshot, sort: TaskSortField): Date | string {
  return row[sort];
}

function compareValues(a: Date | string, b: Date | string): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return compareText(String(a), String(b));
}

/** Code point order, as PostgreSQL's "C" collation and SQLite's BINARY compare. */
function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
