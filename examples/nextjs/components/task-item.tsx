'use client';

import { useId, useState } from 'react';
import type { Task, UpdateTaskBody } from 'better-auth-task-api/client';
import { TaskEditor } from './task-editor';

interface Props {
  readonly task: Task;
  readonly onToggle: () => void;
  readonly onSave: (
    body: UpdateTaskBody,
    report: (message: string | null) => void,
  ) => Promise<boolean>;
  readonly onDelete: () => void;
}

/** One task: done or not, its title and details, and what can be done with it. */
export function TaskItem({ task, onToggle, onSave, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const titleId = useId();

  if (editing) {
    return (
      <TaskEditor
        task={task}
        onCancel={() => setEditing(false)}
        onSave={async (body, report) => {
          const saved = await onSave(body, report);
          if (saved) setEditing(false);
          return saved;
        }}
      />
    );
  }
  return (
    <li className={task.completed ? 'task completed' : 'task'}>
      <input
        type="checkbox"
        className="toggle"
        checked={task.completed}
        onChange={onToggle}
        aria-labelledby={titleId}
      />
      <div className="body">
        <p className="title" id={titleId}>
          {task.title}
        </p>
        {task.description && <p className="description">{task.description}</p>}
      </div>
      <div className="actions">
        <button type="button" className="quiet" onClick={() => setEditing(true)}>
          Edit
        </button>
        <button type="button" className="quiet danger" onClick={onDelete}>
          Delete
        </button>
      </div>
    </li>
  );
}
