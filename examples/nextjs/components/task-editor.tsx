'use client';

import { useState, type FormEvent } from 'react';
import type { Task, UpdateTaskBody } from 'better-auth-task-api/client';

interface Props {
  readonly task: Task;
  /** Saves the change; resolves true when it was saved, after reporting any failure. */
  readonly onSave: (
    body: UpdateTaskBody,
    report: (message: string | null) => void,
  ) => Promise<boolean>;
  readonly onCancel: () => void;
}

/** A task's title and details, being edited in place. */
export function TaskEditor({ task, onSave, onCancel }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The version being edited: a newer one means another device changed the task meanwhile.
  const [editedVersion] = useState(task.version);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = String(form.get('description') ?? '').trim();
    setBusy(true);
    const saved = await onSave(
      { title: String(form.get('title') ?? ''), description: description || null },
      setError,
    );
    if (!saved) setBusy(false);
  }

  return (
    <li className="task editing">
      <form className="edit-form" onSubmit={submit} noValidate>
        <label>
          Title
          <input name="title" defaultValue={task.title} maxLength={200} autoFocus />
        </label>
        <label>
          Details
          <textarea
            name="description"
            defaultValue={task.description ?? ''}
            rows={2}
            maxLength={1000}
          />
        </label>
        {task.version !== editedVersion && (
          <p className="notice" role="status">
            This task was changed somewhere else while you were editing it. Saving replaces that
            change with yours; Cancel shows it.
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="quiet" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </li>
  );
}
