import { beforeEach, describe, expect, it } from '@jest/globals';
import { ownTaskList } from '../../../src/application/tasks/own-task-list.js';
import {
  WatchTasksUseCase,
  type WatchedChange,
} from '../../../src/application/tasks/watch-tasks.use-case.js';
import { inMemoryTasks } from '../../support/in-memory-tasks.js';
import { aTask } from '../../support/task-builder.js';
import { eventually, settle } from '../../support/waiting.js';

describe('WatchTasksUseCase', () => {
  let ports: ReturnType<typeof inMemoryTasks>;
  let watchTasks: WatchTasksUseCase;

  beforeEach(() => {
    ports = inMemoryTasks();
    watchTasks = new WatchTasksUseCase(ports.changeFeed, ports.live);
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
      afterSeq: null,
      watcher: ada,
    });
    expect(watch.startedAfter).toBe(1);

    const first = aTask().ownedBy('ada').titled('First').build();
    await ports.tasks.add(first);
    await ports.tasks.add(aTask().ownedBy('grace').titled('Not Ada’s').build());
    await ports.tasks.removeOwned('ada', before.id);

    await eventually(async () =>
      expect(ada.seen).toEqual([
        { seq: 2, task: expect.objectContaining({ id: first.id, title: 'First' }) },
        { seq: 3, deletedId: before.id },
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
    await watchTasks.execute({ list: ownTaskList('ada', 'ada'), afterSeq: 0, watcher: ada });

    await eventually(async () =>
      expect(ada.seen).toEqual([
        { seq: 2, task: expect.objectContaining({ id: kept.id, title: 'Renamed' }) },
        { seq: 4, deletedId: gone.id },
      ]),
    );
  });

  it('tells a stopped watch nothing more', async () => {
    const ada = watcher();
    const watch = await watchTasks.execute({
      list: ownTaskList('ada', 'ada'),
      afterSeq: null,
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
    await watchTasks.execute({ list: ownTaskList('ada', 'ada'), afterSeq: null, watcher: ada });

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
