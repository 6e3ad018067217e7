import { beforeEach, describe, expect, it } from '@jest/globals';
import { CreateTaskUseCase } from '../../../src/application/tasks/create-task.use-case.js';
import {
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
} from '../../../src/application/tasks/task.errors.js';
import { InMemoryIdempotencyStore } from '../../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask } from '../../support/task-builder.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';

const ME = 'user-me';
const KEY = { key: 'key-1', fingerprint: 'f'.repeat(64) };

describe('CreateTaskUseCase with an Idempotency-Key', () => {
  let clock: FixedClock;
  let tasks: InMemoryTaskRepository;
  let keys: InMemoryIdempotencyStore;
  let create: Routed<CreateTaskUseCase>;

  beforeEach(() => {
    clock = new FixedClock('2026-05-01T12:00:00.000Z');
    tasks = new InMemoryTaskRepository();
    keys = new InMemoryIdempotencyStore();
    create = asRouted(new CreateTaskUseCase(tasks, keys, clock, new SequentialIdGenerator()));
  });

  const everyTask = () =>
    tasks.list({ ownerId: ME, status: 'all', sort: 'createdAt', order: 'asc', limit: 100 });
  const send = (title = 'Once', idempotency = KEY) =>
    create.execute({ actorId: ME, ownerId: ME, title, idempotency });

  it('replays the first answer for the same key and body', async () => {
    const first = await send();
    clock.advance(60_000);
    await expect(send()).resolves.toEqual({ task: first.task, replayed: true });
    expect(await everyTask()).toHaveLength(1);
  });

  it('refuses the same key with another body', async () => {
    await send();
    await expect(send('Other', { ...KEY, fingerprint: 'e'.repeat(64) })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
  });

  it('is IdempotencyKeyInUseError while the first request is still running', async () => {
    await keys.claim(
      ME,
      KEY.key,
      {
        fingerprint: KEY.fingerprint,
        taskId: '00000000-0000-4000-8000-0000000000aa',
        startedAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 86_400_000),
      },
      1_000,
    );
    clock.advance(30_000);
    await expect(send()).rejects.toBeInstanceOf(IdempotencyKeyInUseError);
    expect(await everyTask()).toHaveLength(0);
  });

  it('finishes, under the reserved id, a create whose request died before the insert', async () => {
    const reserved = '00000000-0000-4000-8000-0000000000aa';
    await keys.claim(
      ME,
      KEY.key,
      {
        fingerprint: KEY.fingerprint,
        taskId: reserved,
        startedAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 86_400_000),
      },
      1_000,
    );
    clock.advance(61_000);
    const result = await send();
    expect(result).toMatchObject({ replayed: false, task: { id: reserved, title: 'Once' } });
    await expect(send()).resolves.toEqual({ task: result.task, replayed: true });
  });

  it('replays a create whose request died after the insert, without a second task', async () => {
    const stored = aTask().ownedBy(ME).titled('Once').build();
    await tasks.add(stored);
    // As if the first request inserted its task and died before recording its answer.
    await keys.claim(
      ME,
      KEY.key,
      {
        fingerprint: KEY.fingerprint,
        taskId: stored.id,
        startedAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 86_400_000),
      },
      1_000,
    );
    clock.advance(61_000);
    await expect(send()).resolves.toMatchObject({ task: { id: stored.id }, replayed: true });
    expect(await everyTask()).toHaveLength(1);
  });

  it('lets a retry find the task when the first attempt failed after its insert', async () => {
    // The insert commits, but its answer is lost: the create fails all the same.
    let lostAnswers = 1;
    const flaky = Object.assign(tasks, {
      add: async (...args: Parameters<InMemoryTaskRepository['add']>) => {
        const outcome = await InMemoryTaskRepository.prototype.add.apply(tasks, args);
        if (lostAnswers-- > 0) throw new Error('connection reset after commit');
        return outcome;
      },
    });
    const retrying = asRouted(
      new CreateTaskUseCase(flaky, keys, clock, new SequentialIdGenerator()),
    );
    const call = () =>
      retrying.execute({ actorId: ME, ownerId: ME, title: 'Once', idempotency: KEY });

    await expect(call()).rejects.toThrow(/connection reset/);
    await expect(call()).resolves.toMatchObject({ replayed: true, task: { title: 'Once' } });
    expect(await everyTask()).toHaveLength(1);
  });

  it('keeps the configured number of keys per user: a new key drops the oldest, refuses nothing', async () => {
    const capped = asRouted(
      new CreateTaskUseCase(tasks, keys, clock, new SequentialIdGenerator(), {
        maxPerOwner: null,
        maxKeysPerOwner: 2,
      }),
    );
    const sendCapped = (key: string, title: string) =>
      capped.execute({ actorId: ME, ownerId: ME, title, idempotency: { ...KEY, key } });
    for (const key of ['first', 'second', 'third']) {
      await expect(sendCapped(key, key)).resolves.toMatchObject({ replayed: false });
      clock.advance(1);
    }

    await expect(sendCapped('third', 'third')).resolves.toMatchObject({ replayed: true });
    await expect(sendCapped('second', 'second')).resolves.toMatchObject({ replayed: true });
    // Forgotten: the same request again is a new create.
    await expect(sendCapped('first', 'first')).resolves.toMatchObject({ replayed: false });
    expect((await everyTask()).map((task) => task.title)).toEqual([
      'first',
      'second',
      'third',
      'first',
    ]);
  });

  it('forgets a key after 24 hours', async () => {
    await send();
    clock.advance(24 * 60 * 60 * 1000);
    await expect(send('Again', { ...KEY, fingerprint: 'e'.repeat(64) })).resolves.toMatchObject({
      replayed: false,
      task: { title: 'Again' },
    });
    expect(await everyTask()).toHaveLength(2);
  });
});
