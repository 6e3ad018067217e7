import { Task, type NewTask } from '../../domain/task/task.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import { SessionEndedError } from '../auth/auth.errors.js';
import type { Clock } from '../shared/clock.port.js';
import type { IdGenerator } from '../shared/id-generator.port.js';
import { NO_TELEMETRY, type TaskApiTelemetry } from '../shared/task-api-telemetry.port.js';
import type { IdempotencyStore } from './idempotency-store.port.js';
import type { OwnTaskList } from './own-task-list.js';
import {
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  TaskLimitReachedError,
} from './task.errors.js';
import { toTaskView, type TaskView } from './task.view.js';

/** How long a create's Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** How many Idempotency-Keys one user holds unless configured otherwise; older ones are dropped. */
export const DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER = 1_000;
/** A create unfinished for this long died with its request (requests time out well before). */
const ABANDONED_AFTER_MS = 60 * 1000;

/** The list, and the fields of the new task (every field a caller may set but completion). */
export interface CreateTaskInput extends Omit<NewTask, 'id' | 'ownerId' | 'now'> {
  readonly list: OwnTaskList;
  /** Makes a retried create safe: the caller's key, and a fingerprint of the request body. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

export interface CreatedTask {
  readonly task: TaskView;
  /** True when this is the first answer to the same Idempotency-Key, given again. */
  readonly replayed: boolean;
}

export interface CreateTaskSettings {
  /** Most tasks one user may keep (null: no limit). */
  readonly maxPerOwner: number | null;
  /** Most Idempotency-Keys one user holds: a new one drops the oldest, never refuses a create. */
  readonly maxKeysPerOwner: number;
  /** Told of every answer given again (default: nobody). */
  readonly telemetry?: TaskApiTelemetry;
}

export class CreateTaskUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly keys: IdempotencyStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly settings: CreateTaskSettings = {
      maxPerOwner: null,
      maxKeysPerOwner: DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER,
    },
  ) {}

  async execute({ list, idempotency, ...fields }: CreateTaskInput): Promise<CreatedTask> {
    if (!idempotency)
      return { task: await this.create(list, fields, this.ids.next()), replayed: false };
    const { key, fingerprint } = idempotency;
    const now = this.clock.now();
    const claim = await this.keys.claim(
      list.ownerId,
      key,
      {
        fingerprint,
        taskId: this.ids.next(),
        startedAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS),
      },
      this.settings.maxKeysPerOwner,
    );
    const { entry } = claim;
    if (!claim.claimed) {
      if (entry.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      if (entry.result) return this.replay(entry.result);
      const abandonedBefore = new Date(now.getTime() - ABANDONED_AFTER_MS);
      if (!(await this.keys.takeOver(list.ownerId, key, abandonedBefore, now))) {
        throw new IdempotencyKeyInUseError();
      }
      // The first request died midway; its task id says whether it got as far as the insert.
      const stored = await this.tasks.findOwned(list.ownerId, entry.taskId);
      if (stored) return this.finish(list, key, toTaskView(stored), true);
    }
    let task: TaskView;
    try {
      task = await this.create(list, fields, entry.taskId);
    } catch (error) {
      // The task may exist all the same (the answer of a commit lost): a retry looks first.
      await this.keys.abandon(list.ownerId, key, entry.taskId).catch(() => undefined);
      throw error;
    }
    return this.finish(list, key, task, false);
  }

  private async create(
    list: OwnTaskList,
    fields: Omit<CreateTaskInput, 'list' | 'idempotency'>,
    id: string,
  ): Promise<TaskView> {
    const task = Task.create({ ...fields, id, ownerId: list.ownerId, now: this.clock.now() });
    const outcome = await this.tasks.add(task, this.settings.maxPerOwner);
    if (outcome === 'limit-reached')
      throw new TaskLimitReachedError(this.settings.maxPerOwner ?? 0);
    // The account was deleted while this request was under way.
    if (outcome === 'owner-closed') throw new SessionEndedError();
    return toTaskView(task);
  }

  private async finish(list: OwnTaskList, key: string, task: TaskView, replayed: boolean) {
    await this.keys.complete(list.ownerId, key, task);
    return replayed ? this.replay(task) : { task, replayed };
  }

  private replay(task: TaskView): CreatedTask {
    (this.settings.telemetry ?? NO_TELEMETRY).idempotentReplay();
    return { task, replayed: true };
  }
}
