import type { AddressInfo } from 'node:net';
import { expect, it } from '@jest/globals';
import { createUseCases } from '../../src/application/use-cases.js';
import { InMemoryTokenRevocations } from '../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InProcessLiveSignals } from '../../src/infrastructure/live/in-process-live-signals.js';
import { InMemoryIdempotencyStore } from '../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryTaskRepository } from '../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { createApp } from '../../src/interfaces/http/app.js';
import { FixedClock } from '../support/fixed-clock.js';
import { SequentialIdGenerator } from '../support/sequential-id-generator.js';

// The example of ARCHITECTURE.md, "Swap an adapter in a test": keep the two in step.
it('serves the whole task API on in-memory adapters', async () => {
  const verifier = new InMemoryTokenVerifier();
  const tasks = new InMemoryTaskRepository();
  const ports = {
    tasks,
    changeFeed: tasks.changeFeed,
    live: new InProcessLiveSignals(),
    idempotency: new InMemoryIdempotencyStore(),
    verifier,
    revocations: new InMemoryTokenRevocations(),
    clock: new FixedClock('2026-01-01T00:00:00.000Z'),
    ids: new SequentialIdGenerator(),
    readiness: { isReady: async () => true },
  };
  const app = createApp(createUseCases(ports));
  const token = verifier.issue({ id: 'ada', email: 'ada@example.com', name: 'Ada' });
  const server = app.listen(0);
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/ada/tasks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Buy milk' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id: '00000000-0000-4000-8000-000000000001',
      title: 'Buy milk',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  } finally {
    server.close();
  }
});
