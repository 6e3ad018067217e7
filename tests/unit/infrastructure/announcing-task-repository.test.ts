import { beforeEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { LiveSignals } from '../../../src/application/shared/live-signals.port.js';
import { ownerKeyOf } from '../../../src/application/tasks/sync-token.js';
import { AnnouncingTaskRepository } from '../../../src/infrastructure/live/announcing-task-repository.js';
import { InProcessLiveSignals } from '../../../src/infrastructure/live/in-process-live-signals.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { aTask } from '../../support/task-builder.js';

const OWNER = 'kZ3pQ8vN2mX7rT4wY6bH1cJ5dL9fG0sA';

describe('AnnouncingTaskRepository', () => {
  let signals: InProcessLiveSignals;
  let heard: string[];
  let tasks: AnnouncingTaskRepository;

  beforeEach(() => {
    signals = new InProcessLiveSignals();
    heard = [];
    signals.subscribe('task-changes', {
      onSignal: (payload) => heard.push(payload),
      onResume: () => undefined,
    });
    tasks = new AnnouncingTaskRepository(
      new InMemoryTaskRepository(),
      signals,
      pino({ level: 'silent' }),
    );
  });

  it('announces every committed write with the owner key: 16 hex digits, never the user id', async () => {
    const task = aTask().ownedBy(OWNER).build();
    expect(await tasks.add(task)).toBe('added');
    const renamed = aTask().ownedBy(OWNER).withId(task.id).titled('Renamed').build();
    expect(await tasks.update(renamed, task.version)).toBe('done');
    expect(await tasks.removeOwned(OWNER, task.id)).toBe('done');
    await tasks.eraseOwner(OWNER, new Date('2026-01-02T00:00:00.000Z'));

    const key = ownerKeyOf(OWNER);
    expect(heard).toEqual([key, key, key, key]);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(key).not.toContain(OWNER);
    expect(ownerKeyOf('someone-else')).not.toBe(key);
  });

  it('announces nothing for a write that changed nothing', async () => {
    const task = aTask().ownedBy(OWNER).build();
    await tasks.add(task);
    heard.length = 0;

    expect(await tasks.add(aTask().ownedBy(OWNER).build(), 1)).toBe('limit-reached');
    expect(await tasks.update(task, task.version + 5)).toBe('changed');
    expect(await tasks.removeOwned('someone-else', task.id)).toBe('missing');
    expect(await tasks.removeOwned(OWNER, task.id, [task.version + 1])).toBe('changed');
    await tasks.findOwned(OWNER, task.id);
    await tasks.list({
      ownerId: OWNER,
      status: 'all',
      sort: 'createdAt',
      order: 'desc',
      limit: 10,
    });

    expect(heard).toEqual([]);
  });

  it('answers the write even when the announcement fails', async () => {
    const failing: LiveSignals = {
      subscribe: () => () => undefined,
      publish: () => Promise.reject(new Error('the database is away')),
    };
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const announcing = new AnnouncingTaskRepository(new InMemoryTaskRepository(), failing, logger);

    await expect(announcing.add(aTask().ownedBy(OWNER).build())).resolves.toBe('added');
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0])).not.toContain(OWNER);
  });
});
