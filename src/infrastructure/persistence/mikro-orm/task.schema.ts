import { EntitySchema } from '@mikro-orm/core';

/** A row of the `task` table. The domain's Task never sees this shape. */
export interface TaskRecord {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const TaskSchema = new EntitySchema<TaskRecord>({
  name: 'Task',
  tableName: 'task',
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'string', length: 255, fieldName: 'user_id' },
    title: { type: 'string', length: 200 },
    description: { type: 'text', nullable: true },
    completed: { type: 'boolean', default: false },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
  },
  // Declared as the migration creates them, so MikroORM's schema diff stays empty.
  indexes: [
    { name: 'task_user_created_idx', properties: ['userId', 'createdAt', 'id'] },
    { name: 'task_user_updated_idx', properties: ['userId', 'updatedAt', 'id'] },
    { name: 'task_user_title_idx', properties: ['userId', 'title', 'id'] },
  ],
});

/** Column of each sort field, for the keyset conditions written in SQL. */
export const SORT_COLUMNS = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  title: 'title',
} as const;
