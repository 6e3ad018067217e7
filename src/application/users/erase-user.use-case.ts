import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { EndUserTokensUseCase } from '../auth/end-user-tokens.use-case.js';
import type { IdempotencyStore } from '../tasks/idempotency-store.port.js';

/**
 * A user deleted their account: every token they hold stops working, and everything this API
 * keeps of theirs goes (the right to erasure).
 */
export class EraseUserUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly keys: IdempotencyStore,
    private readonly endTokens: EndUserTokensUseCase,
  ) {}

  async execute({ userId }: { readonly userId: string }): Promise<void> {
    await this.endTokens.execute({ userId });
    await this.tasks.removeAllOwned(userId);
    await this.keys.removeAllOwned(userId);
  }
}
