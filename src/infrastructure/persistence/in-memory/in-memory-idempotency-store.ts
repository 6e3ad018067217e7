import type {
  IdempotencyStore,
  IdempotentCreate,
  NewIdempotentCreate,
} from '../../../application/tasks/idempotency-store.port.js';
import type { TaskView } from '../../../application/tasks/task.view.js';

interface Entry extends IdempotentCreate {
  readonly expiresAt: Date;
}

/** Idempotency keys in a Map per owner: each method checks and changes in one synchronous step. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly owners = new Map<string, Map<string, Entry>>();

  async claim(ownerId: string, key: string, entry: NewIdempotentCreate, maxPerOwner: number) {
    const entries = this.entriesCreatedFor(ownerId);
    const held = entries.get(key);
    if (held && held.expiresAt > entry.startedAt) return { claimed: false, entry: copy(held) };
    const claimed: Entry = { ...entry, result: null };
    entries.set(key, claimed);
    dropOldest(entries, maxPerOwner);
    return { claimed: true, entry: copy(claimed) };
  }

  async complete(ownerId: string, key: string, result: TaskView): Promise<void> {
    const entries = this.owners.get(ownerId);
    const held = entries?.get(key);
    if (held?.taskId === result.id) entries?.set(key, { ...held, result: { ...result } });
  }

  async abandon(ownerId: string, key: string, taskId: string): Promise<void> {
    const entries = this.owners.get(ownerId);
    const held = entries?.get(key);
    if (held?.taskId === taskId && held.result === null) {
      entries?.set(key, { ...held, startedAt: new Date(0) });
    }
  }

  async takeOver(ownerId: string, key: string, staleBefore: Date, now: Date): Promise<boolean> {
    const entries = this.owners.get(ownerId);
    const held = entries?.get(key);
    if (!entries || !held || held.result !== null || held.startedAt >= staleBefore) return false;
    entries.set(key, { ...held, startedAt: now });
    return true;
  }

  async removeAllOwned(ownerId: string): Promise<void> {
    this.owners.delete(ownerId);
  }

  async purgeExpired(now: Date, limit: number): Promise<number> {
    let purged = 0;
    for (const entries of this.owners.values()) {
      for (const [key, entry] of entries) {
        if (purged >= limit) return purged;
        if (entry.expiresAt <= now) {
          entries.delete(key);
          purged++;
        }
      }
    }
    return purged;
  }

  private entriesCreatedFor(ownerId: string): Map<string, Entry> {
    let entries = this.owners.get(ownerId);
    if (!entries) this.owners.set(ownerId, (entries = new Map()));
    return entries;
  }
}

/** Keeps the `keep` entries that expire last (ties broken by key). */
function dropOldest(entries: Map<string, Entry>, keep: number): void {
  if (entries.size <= keep) return;
  const oldestFirst = [...entries].sort(
    ([keyA, a], [keyB, b]) =>
      a.expiresAt.getTime() - b.expiresAt.getTime() || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0),
  );
  for (const [key] of oldestFirst.slice(0, entries.size - keep)) entries.delete(key);
}

function copy(entry: Entry): IdempotentCreate {
  return {
    fingerprint: entry.fingerprint,
    taskId: entry.taskId,
    startedAt: new Date(entry.startedAt),
    result: entry.result && { ...entry.result },
  };
}
