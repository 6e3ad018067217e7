import { ArrayType, EntitySchema, type EntitySchemaProperty } from '@mikro-orm/core';
import { DEFAULT_PRIORITY } from '../../../domain/task/priority.js';
import type { TaskSnapshot } from '../../../domain/task/task.js';
import type { TaskSortField } from '../../../domain/task/task-repository.port.js';
import { DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../../domain/task/task-rules.js';

/**
 * A row of the `task` table: a snapshot, the text a search looks in (see task-search.ts) and, on
 * PostgreSQL, the owner-scoped keys its search and tag indexes are built on (search-keys.ts).
 */
export interface TaskRow extends TaskSnapshot {
  readonly searchText: string;
  readonly searchGrams?: readonly string[];
  readonly ownerTags?: readonly string[];
}

export const TASK_ENTITY = 'Task';

/**
 * The `task` table, described once per dialect: migrations are generated from it, and a test
 * checks that a migrated database matches it. A row is a TaskSnapshot; every snapshot field needs
 * a column here or this does not compile.
 */
export function taskSchema(dialect: 'postgresql' | 'sqlite'): EntitySchema<TaskRow> {
  const properties = {
    id: { type: 'uuid', primary: true },
    ownerId: { type: 'string', length: 255, fieldName: 'user_id' },
    title: { type: 'string', length: TITLE_MAX_LENGTH },
    description: { type: 'string', length: DESCRIPTION_MAX_LENGTH, nullable: true },
    completed: { type: 'boolean', default: false },
    priority: { type: 'string', length: 6, default: DEFAULT_PRIORITY },
    // text[] on PostgreSQL; comma-separated text on SQLite (a tag has no comma).
    tags: { type: ArrayType, defaultRaw: dialect === 'postgresql' ? `'{}'` : `''` },
    dueAt: { type: 'datetime', length: 3, nullable: true, fieldName: 'due_at' },
    recurrence: { type: 'string', length: 7, nullable: true },
    completedAt: { type: 'datetime', length: 3, nullable: true, fieldName: 'completed_at' },
    nextOccurrenceId: { type: 'uuid', nullable: true, fieldName: 'next_occurrence_id' },
    createdAt: { type: 'datetime', length: 3, fieldName: 'created_at' },
    updatedAt: { type: 'datetime', length: 3, fieldName: 'updated_at' },
    version: { type: 'integer', default: 1 },
    // Written with every row (see task-search.ts); the default is only for rows that predate it.
    searchText: { type: 'text', fieldName: 'search_text', default: '' },
    ...(dialect === 'postgresql' ? POSTGRESQL_SEARCH_KEYS : {}),
  } satisfies Record<
    Exclude<keyof TaskRow, keyof typeof POSTGRESQL_SEARCH_KEYS>,
    EntitySchemaProperty<unknown, TaskRow>
  >;
  return new EntitySchema<TaskRow>({
    name: TASK_ENTITY,
    tableName: 'task',
    // The search keys are optional in a row: SQLite's table has no such columns.
    properties: properties as Required<typeof properties> & typeof POSTGRESQL_SEARCH_KEYS,
    indexes: [
      // One index per sort order of an owner's list, with the id as tie-breaker.
      { name: 'task_user_created_idx', properties: ['ownerId', 'createdAt', 'id'] },
      { name: 'task_user_updated_idx', properties: ['ownerId', 'updatedAt', 'id'] },
      { name: 'task_user_title_idx', properties: ['ownerId', 'title', 'id'] },
      { name: 'task_user_due_idx', properties: ['ownerId', 'dueAt', 'id'] },
      // On PostgreSQL, `q` and `tag` look up an owner's matches in GIN indexes of owner-scoped
      // keys; on SQLite a scan of one owner's rows is fast enough.
      ...(dialect === 'postgresql' ? POSTGRESQL_SEARCH_INDEXES : []),
    ],
  });
}

/** Columns only PostgreSQL's indexes need: SQLite scans one owner's rows instead. */
const POSTGRESQL_SEARCH_KEYS = {
  searchGrams: { type: ArrayType, fieldName: 'search_grams', defaultRaw: `'{}'` },
  ownerTags: { type: ArrayType, fieldName: 'owner_tags', defaultRaw: `'{}'` },
} satisfies Record<'searchGrams' | 'ownerTags', EntitySchemaProperty<unknown, TaskRow>>;

const POSTGRESQL_SEARCH_INDEXES = [
  {
    name: 'task_search_grams_idx',
    expression: 'create index "task_search_grams_idx" on "task" using gin ("search_grams")',
  },
  {
    name: 'task_owner_tags_idx',
    expression: 'create index "task_owner_tags_idx" on "task" using gin ("owner_tags")',
  },
];

/** How many tasks each owner has: the row that makes MAX_TASKS_PER_USER hold under concurrency. */
export interface TaskCountRow {
  ownerId: string;
  tasks: number;
  /** Set when the owner was erased: no task may be added until then. */
  closedUntil: Date | null;
  /** The number of the owner's latest change (see TaskChangeSchema); 0 before the first. */
  changeSeq: number;
}

export const TaskCountSchema = new EntitySchema<TaskCountRow>({
  name: 'TaskCount',
  tableName: 'task_count',
  properties: {
    ownerId: { type: 'string', length: 255, fieldName: 'user_id', primary: true },
    tasks: { type: 'integer' },
    closedUntil: { type: 'datetime', length: 3, nullable: true, fieldName: 'closed_until' },
    // Every write bumps it on this row, whose lock then orders the owner's writes until commit.
    changeSeq: { type: 'bigint', fieldName: 'change_seq', default: 0 },
  },
});

/**
 * The latest change of one task of an owner (the change feed keeps no older one): its number in
 * the owner's sequence, and whether the task was deleted. A task that exists is read from `task`.
 */
export interface TaskChangeRow {
  ownerId: string;
  taskId: string;
  seq: number;
  deleted: boolean;
  /** When it was recorded: deletions older than the sync tokens' lifetime are pruned. */
  changedAt: Date;
}

export const TaskChangeSchema = new EntitySchema<TaskChangeRow>({
  name: 'TaskChange',
  tableName: 'task_change',
  properties: {
    ownerId: { type: 'string', length: 255, fieldName: 'user_id', primary: true },
    taskId: { type: 'uuid', fieldName: 'task_id', primary: true },
    seq: { type: 'bigint' },
    deleted: { type: 'boolean' },
    changedAt: { type: 'datetime', length: 3, fieldName: 'changed_at' },
  },
  indexes: [
    // An owner's changes after a number, in order: what a sync reads.
    { name: 'task_change_user_seq_idx', properties: ['ownerId', 'seq'] },
    // Old deletions, pruned in batches.
    { name: 'task_change_deleted_idx', properties: ['deleted', 'changedAt'] },
  ],
});

/** Column of each sort field, for the keyset conditions written in SQL. */
export const SORT_COLUMNS = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  title: 'title',
  dueAt: 'due_at',
  priority: 'priority',
} as const satisfies Record<TaskSortField, string>;

/** An Idempotency-Key of a task create, as the `idempotency_key` table stores it. */
export interface IdempotencyKeyRow {
  ownerId: string;
  key: string;
  fingerprint: string;
  taskId: string;
  startedAt: Date;
  expiresAt: Date;
  /** The first answer (a task view as JSON); null while the create runs. */
  result: string | null;
}

export const IdempotencyKeySchema = new EntitySchema<IdempotencyKeyRow>({
  name: 'IdempotencyKey',
  tableName: 'idempotency_key',
  properties: {
    ownerId: { type: 'string', length: 255, fieldName: 'user_id', primary: true },
    key: { type: 'string', length: 255, primary: true },
    fingerprint: { type: 'string', length: 64 },
    taskId: { type: 'uuid', fieldName: 'task_id' },
    startedAt: { type: 'datetime', length: 3, fieldName: 'started_at' },
    expiresAt: { type: 'datetime', length: 3, fieldName: 'expires_at' },
    result: { type: 'text', nullable: true },
  },
  indexes: [
    // Expired keys are purged in batches, oldest first.
    { name: 'idempotency_key_expires_idx', properties: ['expiresAt'] },
    // An owner's keys, newest first: the cap finds its oldest key to keep in this index.
    { name: 'idempotency_key_owner_age_idx', properties: ['ownerId', 'expiresAt', 'key'] },
  ],
});
