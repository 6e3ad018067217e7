const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

declare const taskId: unique symbol;
/** A UUID in canonical lower-case form: the only spelling of a task id. */
export type TaskId = string & { readonly [taskId]: true };

/** Task ids are UUIDs in canonical lower-case form; anything else names no task. */
export function toTaskId(raw: string): TaskId | null {
  const id = raw.toLowerCase();
  return UUID.test(id) ? (id as TaskId) : null;
}
