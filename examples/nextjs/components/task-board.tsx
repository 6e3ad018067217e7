'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { UnauthorizedError, type Task, type TaskChange } from 'better-auth-task-api/client';
import { authClient } from '@/lib/auth-client';
import { taskErrorMessage } from '@/lib/error-message';
import { createTaskApi } from '@/lib/task-api';
import { AccountBar } from './account-bar';
import { NewTaskForm } from './new-task-form';
import { TaskItem } from './task-item';

const PAGE_SIZE = 50;

type Report = (message: string | null) => void;

/** The signed-in user's tasks, read and changed through the Task API from the browser. */
export function TaskBoard({ apiUrl, email }: { apiUrl: string; email: string }) {
  const router = useRouter();
  const api = useMemo(() => createTaskApi(apiUrl), [apiUrl]);
  const [tasks, setTasks] = useState<readonly Task[]>([]);
  const [loading, setLoading] = useState(true);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Runs a Task API call; a failure is reported in words, an ended session goes to sign-in. */
  const run = useCallback(
    async (work: () => Promise<void>, report: Report = setError): Promise<boolean> => {
      report(null);
      try {
        await work();
        return true;
      } catch (failure) {
        if (failure instanceof UnauthorizedError) router.replace('/sign-in');
        else report(taskErrorMessage(failure));
        return false;
      }
    },
    [router],
  );

  const loadFirstPage = useCallback(async () => {
    const page = await api.list({ limit: PAGE_SIZE });
    setTasks(page.items);
    setNextCursor(page.nextCursor);
  }, [api]);

  useEffect(() => {
    void run(loadFirstPage).finally(() => setLoading(false));
  }, [run, loadFirstPage]);

  // Changes made on other devices (and this one's own, coming back) show as they come; after
  // too long away to resume, the list is loaded afresh.
  useEffect(() => {
    const following = new AbortController();
    api
      .watch((change) => setTasks((all) => applyChange(all, change)), {
        signal: following.signal,
        onResync: loadFirstPage,
      })
      .catch((failure: unknown) => {
        if (following.signal.aborted) return;
        if (failure instanceof UnauthorizedError) router.replace('/sign-in');
        else setError(taskErrorMessage(failure));
      });
    return () => following.abort();
  }, [api, router, loadFirstPage]);

  const replace = (task: Task) => setTasks((all) => all.map((t) => (t.id === task.id ? task : t)));

  const loadMore = () =>
    run(async () => {
      const page = await api.list({ limit: PAGE_SIZE, cursor: nextCursor ?? undefined });
      setTasks((all) => [...all, ...page.items]);
      setNextCursor(page.nextCursor);
    });

  async function signOut() {
    const { error } = await authClient.signOut();
    if (error) return setError('Signing out did not work. Please try again.');
    api.signOut(); // forget the JWT held in memory
    router.replace('/sign-in');
  }

  return (
    <>
      <AccountBar email={email} onSignOut={() => void signOut()} />
      <main>
        <NewTaskForm
          onAdd={(body, report) =>
            run(async () => {
              const task = await api.create(body);
              setTasks((all) => applyChange(all, { task }));
            }, report)
          }
        />
        {error && (
          <p className="error banner" role="alert">
            {error}
          </p>
        )}
        {loading ? (
          <p className="muted empty">Loading your tasks…</p>
        ) : tasks.length === 0 ? (
          <p className="muted empty">No tasks yet. Add the first one above.</p>
        ) : (
          <ul className="task-list" aria-label="Your tasks">
            {tasks.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                onToggle={() => void run(async () => replace(await api.toggleComplete(task.id)))}
                onSave={(body, report) =>
                  run(async () => replace(await api.update(task.id, body)), report)
                }
                onDelete={() =>
                  void run(async () => {
                    await api.remove(task.id);
                    setTasks((all) => all.filter((t) => t.id !== task.id));
                  })
                }
              />
            ))}
          </ul>
        )}
        {nextCursor && (
          <button type="button" className="quiet more" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
      </main>
    </>
  );
}

/** The list with one change applied: a task as it is now (a new one first), or one deleted. */
function applyChange(all: readonly Task[], change: TaskChange): readonly Task[] {
  if (!('task' in change)) return all.filter((t) => t.id !== change.deleted);
  const { task } = change;
  return all.some((t) => t.id === task.id)
    ? all.map((t) => (t.id === task.id ? task : t))
    : [task, ...all];
}
