import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/shared/domain-error.js';
import { MAX_SYNC_TOKEN_LENGTH } from './task.view.js';

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    InvalidSyncToken: InvalidSyncTokenError;
    SyncExpired: SyncExpiredError;
  }
}

/** How long a sync token stays valid unless CHANGE_RETENTION_DAYS says otherwise. */
export const DEFAULT_CHANGE_RETENTION_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export function retentionMsOf(days: number): number {
  return days * DAY_MS;
}

/** The token was not issued by this API for this user (or was altered). */
export class InvalidSyncTokenError extends DomainError {
  readonly type = 'InvalidSyncToken';

  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The token is older than the changes kept: the client must sync from scratch. */
export class SyncExpiredError extends DomainError {
  readonly type = 'SyncExpired';

  constructor() {
    super('The sync token is older than the changes kept');
  }
}

/**
 * Where a client's copy stands: it has seen every change of the owner up to `seq`. During a full
 * sync, `floor` is the latest number when it began: deletions at or below it are of tasks the
 * client never got. `issuedAt` bounds how old the changes it has not seen may be (epoch ms).
 */
export interface SyncPosition {
  readonly seq: number;
  readonly floor: number;
  readonly issuedAt: number;
}

/** What a token carries, in JSON: a version, the owner's key, the position. */
interface TokenPayload {
  v: 1;
  o: string;
  s: number;
  f?: number;
  t: number;
}

/**
 * A user id as tokens and live signals name it: the first 16 hex digits of its SHA-256, so
 * neither carries the id in clear.
 */
export function ownerKeyOf(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 16);
}

/** An opaque token (base64url of a small versioned JSON) for the owner's position. */
export function encodeSyncToken(ownerId: string, position: SyncPosition): string {
  const payload: TokenPayload = {
    v: 1,
    o: ownerKeyOf(ownerId),
    s: position.seq,
    t: position.issuedAt,
  };
  if (position.floor > position.seq) payload.f = position.floor;
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Reads a token `encodeSyncToken` issued for this owner. Unsigned, so read as untrusted: a token
 * of another user, or anything else, is InvalidSyncTokenError; one issued more than `retentionMs`
 * ago is SyncExpiredError, since changes that old may have been pruned.
 */
export function decodeSyncToken(
  token: string,
  ownerId: string,
  now: Date,
  retentionMs: number,
): SyncPosition {
  const payload = parse(token);
  if (payload.o !== ownerKeyOf(ownerId)) {
    throw new InvalidSyncTokenError(
      "belongs to another user's tasks; sync without `since` to start from scratch",
    );
  }
  if (payload.t > now.getTime() + DAY_MS) throw malformed();
  if (now.getTime() - payload.t > retentionMs) throw new SyncExpiredError();
  return { seq: payload.s, floor: payload.f ?? 0, issuedAt: payload.t };
}

function parse(token: string): TokenPayload {
  if (token.length === 0 || token.length > MAX_SYNC_TOKEN_LENGTH) throw malformed();
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!isPayload(data)) throw malformed();
  return data;
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function isPayload(data: unknown): data is TokenPayload {
  if (typeof data !== 'object' || data === null) return false;
  const p = data as Record<string, unknown>;
  return (
    p.v === 1 &&
    typeof p.o === 'string' &&
    isCount(p.s) &&
    (p.f === undefined || isCount(p.f)) &&
    isCount(p.t)
  );
}

function malformed(): InvalidSyncTokenError {
  return new InvalidSyncTokenError('is not a sync token this API returned; use `next` as given');
}
