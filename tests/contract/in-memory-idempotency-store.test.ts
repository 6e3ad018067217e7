import { InMemoryIdempotencyStore } from '../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';

idempotencyStoreContract('InMemoryIdempotencyStore', async () => new InMemoryIdempotencyStore());
