import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { EndUserTokensUseCase } from '../auth/end-user-tokens.use-case.js';
import type { Clock } from '../shared/clock.port.js';
import type { IdempotencyStore } from '../tasks/idempotency-store.port.js';

/**
 * A user deleted their account: every token they hold stops working, and everything this API
 * keeps of theirs goes (the right to erasure). A create that raced the deletion either landed
 * before it and is deleted with the rest, or is refused until no token of theirs can be valid.
 */
export class EraseUserUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly keys: IdempotencyStore,
    private readonly endTokens: EndUserTokensUseCase,
    private readonly clock: Clock,
    /** How long a token lives: adds stay refused that long after the erasure. */
    private readonly tokenLifetimeSeconds: number,
  ) {}

  async execute({ userId }: { readonly userId: string }): Promise<void> {
    await this.endTokens.execute({ userId });
    const closedUntil = new Date(this.clock.now().getTime() + this.tokenLifetimeSeconds * 1000);
    await this.tasks.eraseOwner(userId, closedUntil);
    await this.keys.removeAllOwned(userId);
  }
}
