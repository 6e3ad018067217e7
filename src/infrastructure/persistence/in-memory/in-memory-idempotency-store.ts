import type {
  IdempotencyStore,
  IdempotentCreate,
  NewIdempotentCreate,
} from '../../../application/tasks/idempotency-store.port.js';
import type { TaskView } from '../../../application/tasks/task.view.js';

interface Entry extends IdempotentCreate {
  readonly expiresAt: Date;
}

/** Idempotency keys in a Map: each method checks and changes in one synchronous step. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  async claim(ownerId: string, key: string, entry: NewIdempotentCreate) {
    const id = idOf(ownerId, key);
    const held = this.entries.get(id);
    if (held && held.expiresAt > entry.startedAt) return { claimed: false, entry: copy(held) };
    const claimed: Entry = { ...entry, result: null };
    this.entries.set(id, claimed);
    return { claimed: true, entry: copy(claimed) };
  }

  async complete(ownerId: string, key: string, result: TaskView): Promise<void> {
    const id = idOf(ownerId, key);
    const held = this.entries.get(id);
    if (held?.taskId === result.id) this.entries.set(id, { ...held, result: { ...result } });
  }

  async abandon(ownerId: string, key: string, taskId: string): Promise<void> {
    const id = idOf(ownerId, key);
    const held = this.entries.get(id);
    if (held?.taskId === taskId && held.result === null) {
      this.entries.set(id, { ...held, startedAt: new Date(0) });
    }
  }

  async takeOver(ownerId: string, key: string, staleBefore: Date, now: Date): Promise<boolean> {
    const id = idOf(ownerId, key);
    const held = this.entries.get(id);
    if (!held || held.result !== null || held.startedAt >= staleBefore) return false;
    this.entries.set(id, { ...held, startedAt: now });
    return true;
  }

  async removeAllOwned(ownerId: string): Promise<void> {
    for (const id of this.entries.keys()) {
      if ((JSON.parse(id) as [string, string])[0] === ownerId) this.entries.delete(id);
    }
  }

  async purgeExpired(now: Date, limit: number): Promise<number> {
    let purged = 0;
    for (const [id, entry] of this.entries) {
      if (purged >= limit) break;
      if (entry.expiresAt <= now) {
        this.entries.delete(id);
        purged++;
      }
    }
    return purged;
  }
}

/** A key that cannot collide across owners, whatever characters they contain. */
function idOf(ownerId: string, key: string): string {
  return JSON.stringify([ownerId, key]);
}

function copy(entry: Entry): IdempotentCreate {
  return {
    fingerprint: entry.fingerprint,
    taskId: entry.taskId,
    startedAt: new Date(entry.startedAt),
    result: entry.result && { ...entry.result },
  };
}
