import type { LiveSignals } from '../shared/live-signals.port.js';
import type { OwnTaskList } from './own-task-list.js';
import { ownerKeyOf } from './sync-token.js';
import type { TaskChangeFeed } from './task-change-feed.port.js';
import { toTaskView, type TaskView } from './task.view.js';

/** A change as a watcher is told it: the task as it is now, or the id of one deleted. */
export type WatchedChange =
  | { readonly seq: number; readonly task: TaskView }
  | { readonly seq: number; readonly deletedId: string };

/** Who is told: changes in order, never two calls at once; or why the watch cannot go on. */
export interface TaskWatcher {
  deliver(changes: readonly WatchedChange[]): void;
  fail(error: unknown): void;
}

export interface WatchTasksInput {
  readonly list: OwnTaskList;
  /** Deliver the changes numbered above this; null: only those from now on. */
  readonly afterSeq: number | null;
  readonly watcher: TaskWatcher;
}

/** A watch under way. */
export interface TaskWatch {
  /** The number the watch started after (the owner's latest when `afterSeq` was null). */
  readonly startedAfter: number;
  stop(): void;
}

/** Changes read from the feed at once; a watch far behind reads page after page. */
const PAGE = 100;

interface Watch {
  readonly ownerId: string;
  readonly watcher: TaskWatcher;
  lastSeq: number;
  /** Reading now (then a signal asks for one more read once it ends), or not yet started. */
  busy: boolean;
  again: boolean;
  stopped: boolean;
}

/**
 * Tells a watcher each change of the caller's tasks, in the order they committed, from the change
 * feed: one subscription per instance to `task-changes` (payload: an owner key) wakes the watches
 * of that owner, each reads the feed from the last number it delivered, so a signal heard twice
 * or late costs a read and loses nothing; after the live signals reconnect every watch reads again.
 */
export class WatchTasksUseCase {
  private readonly byOwnerKey = new Map<string, Set<Watch>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly feed: TaskChangeFeed,
    private readonly live: LiveSignals,
  ) {}

  async execute({ list, afterSeq, watcher }: WatchTasksInput): Promise<TaskWatch> {
    const watch: Watch = {
      ownerId: list.ownerId,
      watcher,
      lastSeq: 0,
      busy: true,
      again: false,
      stopped: false,
    };
    // Listening before reading where to start: a change committed in between is read either way.
    const key = ownerKeyOf(list.ownerId);
    const watches = this.byOwnerKey.get(key) ?? new Set<Watch>();
    this.byOwnerKey.set(key, watches);
    watches.add(watch);
    this.unsubscribe ??= this.live.subscribe('task-changes', {
      onSignal: (payload) => this.byOwnerKey.get(payload)?.forEach((each) => this.read(each)),
      onResume: () => this.byOwnerKey.forEach((each) => each.forEach((w) => this.read(w))),
    });
    const stop = () => {
      watch.stopped = true;
      watches.delete(watch);
      if (watches.size === 0) this.byOwnerKey.delete(key);
    };
    try {
      watch.lastSeq = afterSeq ?? (await this.feed.latestSeq(list.ownerId));
    } catch (error) {
      stop();
      throw error;
    }
    const startedAfter = watch.lastSeq;
    watch.busy = false;
    // The changes after `afterSeq` (a resume), or any committed since the latest was read.
    this.read(watch);
    return { startedAfter, stop };
  }

  /** How many watches are open on this instance (all owners). */
  get open(): number {
    let count = 0;
    for (const watches of this.byOwnerKey.values()) count += watches.size;
    return count;
  }

  private read(watch: Watch): void {
    if (watch.stopped) return;
    if (watch.busy) {
      watch.again = true;
      return;
    }
    watch.busy = true;
    void this.readAll(watch)
      .catch((error: unknown) => {
        if (!watch.stopped) watch.watcher.fail(error);
      })
      .finally(() => {
        watch.busy = false;
        // A signal heard after the last read ended.
        if (watch.again) this.read(watch);
      });
  }

  private async readAll(watch: Watch): Promise<void> {
    for (;;) {
      watch.again = false;
      const changes = await this.feed.changesSince(watch.ownerId, watch.lastSeq, PAGE);
      if (watch.stopped) return;
      if (changes.length > 0) {
        watch.lastSeq = changes[changes.length - 1]?.seq ?? watch.lastSeq;
        watch.watcher.deliver(
          changes.map((change) =>
            'task' in change
              ? { seq: change.seq, task: toTaskView(change.task) }
              : { seq: change.seq, deletedId: change.deletedId },
          ),
        );
      }
      if (changes.length < PAGE && !watch.again) return;
    }
  }
}
