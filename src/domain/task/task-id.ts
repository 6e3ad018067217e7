const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Task ids are UUIDs in canonical lower-case form; anything else names no task. */
export function toTaskId(raw: string): string | null {
  const id = raw.toLowerCase();
  return UUID.test(id) ? id : null;
}
