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
    completed: { type: 'boolean' },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
  },
});

/** Column of each sort field, for the keyset conditions written in SQL. */
export const SORT_COLUMNS = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  title: 'title',
} as const;
