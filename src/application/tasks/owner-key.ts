import { createHash } from 'node:crypto';

/**
 * What stands for an owner where their id must not appear in clear (a live signal, a sync
 * token): the first 16 hex digits of SHA-256 of the user id. Enough to tell one owner's signals
 * from another's; a rare collision only makes a stream read its feed once for nothing.
 */
export function ownerKeyOf(ownerId: string): string {
  return createHash('sha256').update(ownerId).digest('hex').slice(0, 16);
}
