'use client';

import { useState, type FormEvent } from 'react';
import type { CreateTaskBody } from 'better-auth-task-api/client';

interface Props {
  /** Adds the task; resolves true when it was added, after reporting any failure. */
  readonly onAdd: (
    body: CreateTaskBody,
    report: (message: string | null) => void,
  ) => Promise<boolean>;
}

export function NewTaskForm({ onAdd }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const title = String(form.get('title') ?? '');
    const description = String(form.get('description') ?? '').trim();
    if (!title.trim()) return setError('Give the task a title.');
    setBusy(true);
    const added = await onAdd({ title, description: description || null }, setError);
    setBusy(false);
    if (added) formElement.reset();
  }

  return (
    <form className="card new-task" onSubmit={submit} noValidate>
      <input name="title" placeholder="What needs doing?" maxLength={200} aria-label="Title" />
      <textarea
        name="description"
        placeholder="Details (optional)"
        rows={2}
        maxLength={1000}
        aria-label="Details"
      />
      <button type="submit" className="primary" disabled={busy}>
        Add task
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
