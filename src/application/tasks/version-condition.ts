/**
 * What a write asks of the task's current version (an HTTP If-Match): any version, as long as the
 * task exists, or one of the listed versions. Without a condition, a write applies to whatever
 * the task is when it runs.
 */
export type VersionCondition =
  { readonly kind: 'any' } | { readonly kind: 'one-of'; readonly versions: readonly number[] };

export function allows(condition: VersionCondition | undefined, version: number): boolean {
  return !condition || condition.kind === 'any' || condition.versions.includes(version);
}
