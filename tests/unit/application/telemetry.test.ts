import { describe, expect, it } from '@jest/globals';
import { InvalidTokenError, SessionEndedError } from '../../../src/application/auth/auth.errors.js';
import { AuthenticateUseCase } from '../../../src/application/auth/authenticate.use-case.js';
import type { TokenVerifier } from '../../../src/application/auth/token-verifier.port.js';
import { DependencyUnavailableError } from '../../../src/application/shared/dependency-unavailable.error.js';
import { CreateTaskUseCase } from '../../../src/application/tasks/create-task.use-case.js';
import { WriteConflictError } from '../../../src/application/tasks/task.errors.js';
import { UpdateTaskUseCase } from '../../../src/application/tasks/update-task.use-case.js';
import type { Task } from '../../../src/domain/task/task.js';
import type { UpdateOutcome } from '../../../src/domain/task/task-repository.port.js';
import { InMemoryTokenRevocations } from '../../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InMemoryIdempotencyStore } from '../../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { asRouted } from '../../support/as-routed.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { RecordedTelemetry } from '../../support/recorded-telemetry.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';
import { aTask } from '../../support/task-builder.js';

const ME = 'user-me';

/** The first `losses` writes lose to another writer (a conflict); the rest go through. */
class LosingRepository extends InMemoryTaskRepository {
  constructor(private losses: number) {
    super();
  }

  override async update(task: Task, version: number): Promise<UpdateOutcome> {
    if (this.losses > 0) {
      this.losses -= 1;
      return 'changed';
    }
    return super.update(task, version);
  }
}

describe('what the use cases report to the telemetry', () => {
  const clock = new FixedClock('2026-06-01T00:00:00.000Z');

  it('each lost race of a guarded write, and nothing more once it succeeds', async () => {
    const telemetry = new RecordedTelemetry();
    const tasks = new LosingRepository(3);
    const mine = aTask().ownedBy(ME).build();
    await tasks.add(mine);
    const update = asRouted(
      new UpdateTaskUseCase({
        tasks,
        clock,
        ids: new SequentialIdGenerator(),
        maxPerOwner: null,
        telemetry,
      }),
    );

    await update.execute({ actorId: ME, ownerId: ME, taskId: mine.id, changes: { title: 'x' } });

    expect(telemetry).toMatchObject({ retries: 3, conflicts: 0 });
  });

  it('a guarded write that gives up: every retry, then one conflict', async () => {
    const telemetry = new RecordedTelemetry();
    const tasks = new LosingRepository(Number.POSITIVE_INFINITY);
    const mine = aTask().ownedBy(ME).build();
    await tasks.add(mine);
    const update = asRouted(
      new UpdateTaskUseCase({
        tasks,
        clock,
        ids: new SequentialIdGenerator(),
        maxPerOwner: null,
        telemetry,
      }),
    );

    await expect(
      update.execute({ actorId: ME, ownerId: ME, taskId: mine.id, changes: { title: 'x' } }),
    ).rejects.toBeInstanceOf(WriteConflictError);

    expect(telemetry).toMatchObject({ retries: 9, conflicts: 1 });
  });

  it('a create answered again for its Idempotency-Key, not the first one', async () => {
    const telemetry = new RecordedTelemetry();
    const create = asRouted(
      new CreateTaskUseCase(
        new InMemoryTaskRepository(),
        new InMemoryIdempotencyStore(),
        clock,
        new SequentialIdGenerator(),
        { maxPerOwner: null, maxKeysPerOwner: 100, telemetry },
      ),
    );
    const send = () =>
      create.execute({
        actorId: ME,
        ownerId: ME,
        title: 'Once',
        idempotency: { key: 'k', fingerprint: 'f'.repeat(64) },
      });

    await send();
    expect(telemetry.replays).toBe(0);
    await send();
    await send();
    expect(telemetry.replays).toBe(2);
  });

  describe('a refused token, with its reason', () => {
    const ada = { id: 'user-ada', email: 'ada@example.test', name: 'Ada' };

    async function refusalOf(
      token: string | null,
      setUp: (verifier: InMemoryTokenVerifier) => TokenVerifier,
    ) {
      const telemetry = new RecordedTelemetry();
      const verifier = new InMemoryTokenVerifier(clock);
      const authenticate = new AuthenticateUseCase(
        setUp(verifier),
        new InMemoryTokenRevocations(clock),
        telemetry,
      );
      await expect(authenticate.execute({ token })).rejects.toBeDefined();
      return telemetry.refusals;
    }

    it('missing', async () => {
      await expect(refusalOf(null, (verifier) => verifier)).resolves.toEqual(['missing']);
    });

    it('the verifier’s own reason', async () => {
      await expect(refusalOf('forged', (verifier) => verifier)).resolves.toEqual(['malformed']);
      const expired: TokenVerifier = {
        verify: async () => {
          throw new InvalidTokenError('expired', 'The token has expired');
        },
      };
      await expect(refusalOf('old', () => expired)).resolves.toEqual(['expired']);
    });

    it('session_ended for a revoked session', async () => {
      const telemetry = new RecordedTelemetry();
      const verifier = new InMemoryTokenVerifier(clock);
      const revocations = new InMemoryTokenRevocations(clock);
      const token = verifier.issue(ada, 3600, 'session-1');
      await revocations.revokeSession('session-1', new Date(clock.now().getTime() + 3_600_000));

      await expect(
        new AuthenticateUseCase(verifier, revocations, telemetry).execute({ token }),
      ).rejects.toBeInstanceOf(SessionEndedError);
      expect(telemetry.refusals).toEqual(['session_ended']);
    });

    it('key_set_unavailable and revocations_unavailable', async () => {
      const unreachable: TokenVerifier = {
        verify: async () => {
          throw new DependencyUnavailableError('key-set');
        },
      };
      await expect(refusalOf('t', () => unreachable)).resolves.toEqual(['key_set_unavailable']);

      const telemetry = new RecordedTelemetry();
      const verifier = new InMemoryTokenVerifier(clock);
      const stale = new (class extends InMemoryTokenRevocations {
        override isRevoked(): boolean {
          throw new DependencyUnavailableError('revocations');
        }
      })(clock);
      await expect(
        new AuthenticateUseCase(verifier, stale, telemetry).execute({
          token: verifier.issue(ada),
        }),
      ).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(telemetry.refusals).toEqual(['revocations_unavailable']);
    });

    it('nothing for an accepted token', async () => {
      const telemetry = new RecordedTelemetry();
      const verifier = new InMemoryTokenVerifier(clock);
      const authenticate = new AuthenticateUseCase(
        verifier,
        new InMemoryTokenRevocations(clock),
        telemetry,
      );
      await expect(authenticate.execute({ token: verifier.issue(ada) })).resolves.toEqual(ada);
      expect(telemetry.refusals).toEqual([]);
    });
  });
});
