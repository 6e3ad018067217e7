import { describe, expect, it } from '@jest/globals';
import { ownTaskList, taskIdOrNotFound } from '../../../src/application/tasks/own-task-list.js';
import { ForeignTaskListError } from '../../../src/application/tasks/task.errors.js';
import { TaskNotFoundError } from '../../../src/domain/task/task.errors.js';

describe('ownTaskList: the one place ownership is decided', () => {
  it("is the caller's list when the path names the caller", () => {
    expect(ownTaskList('user-1', 'user-1').ownerId).toBe('user-1');
  });

  it.each([
    ['another user', 'user-2'],
    ['the caller in other case', 'USER-1'],
    ['an empty id', ''],
  ])('refuses %s as ForeignTaskListError', (_case, pathUserId) => {
    expect(() => ownTaskList('user-1', pathUserId)).toThrow(ForeignTaskListError);
  });
});

describe('taskIdOrNotFound', () => {
  it('reads a task id in canonical lower case', () => {
    expect(taskIdOrNotFound('0A1B2C3D-0000-4000-8000-000000000001')).toBe(
      '0a1b2c3d-0000-4000-8000-000000000001',
    );
  });

  it.each(['123', 'drop table task', '', '0a1b2c3d-0000-4000-8000-00000000000'])(
    'answers %j as a task that is not found',
    (raw) => {
      expect(() => taskIdOrNotFound(raw)).toThrow(TaskNotFoundError);
    },
  );
});
