import {
  ownTaskList,
  taskIdOrNotFound,
  type OwnTaskList,
} from '../../src/application/tasks/own-task-list.js';

/** A use case input as a request names it: the caller, the path's user, the raw task id. */
type RoutedInput<I> = Omit<I, 'list' | 'taskId'> & {
  actorId: string;
  ownerId: string;
} & (I extends {
    taskId: unknown;
  }
    ? { taskId: string }
    : unknown);

/**
 * Calls a use case the way the task routes do: ownership and the task id are settled first, so a
 * foreign list or a malformed id rejects like the route's answer would.
 */
export function asRouted<I extends { list: OwnTaskList }, O>(useCase: {
  execute(input: I): Promise<O>;
}): { execute(input: RoutedInput<I>): Promise<O> } {
  return {
    async execute({ actorId, ownerId, ...rest }) {
      const input = { ...rest, list: ownTaskList(actorId, ownerId) } as Record<string, unknown>;
      if (typeof input.taskId === 'string') input.taskId = taskIdOrNotFound(input.taskId);
      return useCase.execute(input as unknown as I);
    },
  };
}

/** `useCase` as `asRouted` calls it. */
export type Routed<U extends { execute(input: never): Promise<unknown> }> = {
  execute(input: RoutedInput<Parameters<U['execute']>[0]>): ReturnType<U['execute']>;
};
