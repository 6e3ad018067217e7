/** How much a task matters, lowest first. */
export const PRIORITIES = ['low', 'medium', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const DEFAULT_PRIORITY: Priority = 'medium';

/** 0 for low up to 2 for high: the order `sort=priority` follows. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function isPriority(value: unknown): value is Priority {
  return (PRIORITIES as readonly unknown[]).includes(value);
}
