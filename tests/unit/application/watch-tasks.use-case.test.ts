import { beforeEach, describe, expect, it } from '@jest/globals';
import { ownTaskList } from '../../../src/application/tasks/own-task-list.js';
import {
  WatchTasksUseCase,
  type WatchedChange,
} from '../../../src/application/tasks/watch-tasks.use-case.js';
import { encodeSyncToken, SyncExpiredError } from '../../../src/application/tasks/sync-token.js';
import { SystemClock } from '../../../src/infrastructure/system/system-clock.js';
import { inMemoryTasks } from '../../support/in-memory-tasks.js';
import { aTask } from '../../support/task-builder.js';
import { eventually, settle } from '../../support/waiting.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const tokenAt = (seq: number, issuedAt = Date.now()) =>
  encodeSyncToken('ada', { seq, floor: 0, issuedAt });

describe('WatchTasksUseCase', () => {
  let ports: ReturnType<typeof inMemoryTasks>;
  let watchTasks: WatchTasksUseCase;

  beforeEach(() => {
    ports = inMemoryTasks();
    watchTasks = new WatchTasksUseCase(ports.changeFeed, ports.live, new SystemClock(), DAY_MS);
  });

  function watcher() {
    const seen: WatchedChange[] = [];
    const failures: unknown[] = [];
    return {
      seen,
      failures,
      deliver: (changes: readonly WatchedChange[]) => seen.push(...changes),
      fail: (error: unknown) => failures.push(error),
    };
  }

  it('tells the owner each change from now on, in order, and nobody else’s', async () => {
    const before = aTask().ownedBy('ada').titled('Before').build();
    await ports.tasks.add(before);
    const ada = watcher();
    const watch = await watchTasks.execute({
      list: ownTaskList('ada', 'ada'),
      since: null,
      watcher: ada,
    });
    expect(watch.startedFrom).toEqual(expect.any(String));

    const first = aTask().ownedBy('ada').titled('First').build();
    await ports.tasks.add(first);
    await ports.tasks.add(aTask().ownedBy('grace').titled('Not Ada’s').build());
    await ports.tasks.removeOwned('ada', before.id);

    await eventually(async () =>
      expect(ada.seen).toEqual([
        {
          seq: 2,
          token: expect.any(String),
          task: expect.objectContaining({ id: first.id, title: 'First' }),
        },
        { seq: 3, token: expect.any(String), deletedId: before.id },
      ]),
    );
    expect(ada.failures).toEqual([]);
  });

  it('resumes after a number: every change since, each task in its latest state', async () => {
    const kept = aTask().ownedBy('ada').titled('Kept').build();
    await ports.tasks.add(kept);
    const renamed = aTask().ownedBy('ada').withId(kept.id).titled('Renamed').build();
    await ports.tasks.update(renamed, kept.version);
    const gone = aTask().ownedBy('ada').build();
    await ports.tasks.add(gone);
    await ports.tasks.removeOwned('ada', gone.id);

    const ada = watcher();
    await watchTasks.execute({ list: ownTaskList('ada', 'ada'), since: tokenAt(0), watcher: ada });

    await eventually(async () =>
      expect(ada.seen).toEqual([
        {
          seq: 2,
          token: expect.any(String),
          task: expect.objectContaining({ id: kept.id, title: 'Renamed' }),
        },
        { seq: 4, token: expect.any(String), deletedId: gone.id },
      ]),
    );
    // Each token resumes right after its change.
    const again = watcher();
    await watchTasks.execute({
      list: ownTaskList('ada', 'ada'),
      since: ada.seen[0]?.token ?? '',
      watcher: again,
    });
    await eventually(async () => expect(again.seen.map((change) => change.seq)).toEqual([4]));
  });

  it('refuses a token older than the retention, or ahead of the feed: sync from scratch', async () => {
    const list = ownTaskList('ada', 'ada');
    const ada = watcher();
    await expect(
      watchTasks.execute({ list, since: tokenAt(0, Date.now() - 2 * DAY_MS), watcher: ada }),
    ).rejects.toThrow(SyncExpiredError);
    await expect(watchTasks.execute({ list, since: tokenAt(7), watcher: ada })).rejects.toThrow(
      SyncExpiredError,
    );
    expect(watchTasks.open).toBe(0);
  });

  it('tells a stopped watch nothing more', async () => {
    const ada = watcher();
    const watch = await watchTasks.execute({
      list: ownTaskList('ada', 'ada'),
      since: null,
      watcher: ada,
    });
    expect(watchTasks.open).toBe(1);
    watch.stop();
    expect(watchTasks.open).toBe(0);

    await ports.tasks.add(aTask().ownedBy('ada').build());
    await settle();
    expect(ada.seen).toEqual([]);
  });

  it('delivers all of many changes made at once, in order, without a gap', async () => {
    const ada = watcher();
    await watchTasks.execute({ list: ownTaskList('ada', 'ada'), since: null, watcher: ada });

    await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        ports.tasks.add(aTask().ownedBy('ada').titled(`T${i}`).build()),
      ),
    );

    await eventually(async () => expect(ada.seen).toHaveLength(250));
    expect(ada.seen.map((change) => change.seq)).toEqual(
      Array.from({ length: 250 }, (_, i) => i + 1),
    );
  });
});
