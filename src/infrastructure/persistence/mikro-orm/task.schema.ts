import { EntitySchema, type EntitySchemaProperty } from '@mikro-orm/core';
import type { TaskSnapshot } from '../../../domain/task/task.js';
import { DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../../domain/task/task-rules.js';

/**
 * The `task` table, described once: migrations are generated from it, and a test checks that a
 * migrated database matches it. A row is a TaskSnapshot; every snapshot field needs a column here
 * or this does not compile.
 */
const properties = {
  id: { type: 'uuid', primary: true },
  ownerId: { type: 'string', length: 255, fieldName: 'user_id' },
  title: { type: 'string', length: TITLE_MAX_LENGTH },
  description: { type: 'string', length: DESCRIPTION_MAX_LENGTH, nullable: true },
  completed: { type: 'boolean', default: false },
  createdAt: { type: 'datetime', length: 3, fieldName: 'created_at' },
  updatedAt: { type: 'datetime', length: 3, fieldName: 'updated_at' },
  version: { type: 'integer', default: 1 },
} satisfies Record<keyof TaskSnapshot, EntitySchemaProperty<unknown, TaskSnapshot>>;

export const TaskSchema = new EntitySchema<TaskSnapshot>({
  name: 'Task',
  tableName: 'task',
  properties,
  // One index per sort order of an owner's list, with the id as tie-breaker.
  indexes: [
    { name: 'task_user_created_idx', properties: ['ownerId', 'createdAt', 'id'] },
    { name: 'task_user_updated_idx', properties: ['ownerId', 'updatedAt', 'id'] },
    { name: 'task_user_title_idx', properties: ['ownerId', 'title', 'id'] },
  ],
});

/** How many tasks each owner has: the row that makes MAX_TASKS_PER_USER hold under concurrency. */
export interface TaskCountRow {
  ownerId: string;
  tasks: number;
  /** Set when the owner was erased: no task may be added until then. */
  closedUntil: Date | null;
}

export const TaskCountSchema = new EntitySchema<TaskCountRow>({
  name: 'TaskCount',
  tableName: 'task_count',
  properties: {
    ownerId: { type: 'string', length: 255, fieldName: 'user_id', primary: true },
    tasks: { type: 'integer' },
    closedUntil: { type: 'datetime', length: 3, nullable: true, fieldName: 'closed_until' },
  },
});

/** Column of each sort field, for the keyset conditions written in SQL. */
export const SORT_COLUMNS = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  title: 'title',
} as const;

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
  // Expired keys are purged in batches, oldest first.
  indexes: [{ name: 'idempotency_key_expires_idx', properties: ['expiresAt'] }],
});
