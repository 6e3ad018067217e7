import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { EndUserTokensUseCase } from '../auth/end-user-tokens.use-case.js';
import { revokedUntil, type RevocationSettings } from '../auth/token-lifetime.js';
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
    /** How long a token may still be accepted: adds stay refused that long after the erasure. */
    private readonly settings: RevocationSettings,
  ) {}

  async execute({ userId }: { readonly userId: string }): Promise<void> {
    await this.endTokens.execute({ userId });
    await this.tasks.eraseOwner(userId, revokedUntil(this.clock, this.settings));
    await this.keys.removeAllOwned(userId);
  }
}
