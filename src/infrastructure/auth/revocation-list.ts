/** A revocation as stored and sent between instances. */
export interface Revocation {
  readonly kind: 'session' | 'user';
  /** The session id (kind session) or the user id (kind user). */
  readonly subject: string;
  /** Kind user: tokens with an `iat` before this (seconds) are void. Null for a session. */
  readonly issuedBefore: number | null;
  /** When the last token it covers has expired, and it can be forgotten. */
  readonly expiresAt: Date;
}

/**
 * The revocations an instance knows, in memory, so that checking a token costs two map lookups.
 * Applying the same revocation twice, or out of order, ends in the same state.
 */
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, { issuedBefore: number; expiresAt: number }>();

  apply({ kind, subject, issuedBefore, expiresAt }: Revocation): void {
    const until = expiresAt.getTime();
    if (kind === 'session') {
      this.sessions.set(subject, Math.max(until, this.sessions.get(subject) ?? 0));
      return;
    }
    const known = this.users.get(subject);
    this.users.set(subject, {
      issuedBefore: Math.max(issuedBefore ?? 0, known?.issuedBefore ?? 0),
      expiresAt: Math.max(until, known?.expiresAt ?? 0),
    });
  }

  isRevoked(
    token: {
      readonly userId: string;
      readonly sessionId: string | null;
      readonly issuedAt: number;
    },
    nowMs: number,
  ): boolean {
    if (token.sessionId !== null) {
      const until = this.sessions.get(token.sessionId);
      if (until !== undefined && until > nowMs) return true;
    }
    const cutOff = this.users.get(token.userId);
    return cutOff !== undefined && cutOff.expiresAt > nowMs && token.issuedAt < cutOff.issuedBefore;
  }

  /** Forgets revocations whose tokens have all expired. */
  prune(nowMs: number): void {
    for (const [id, until] of this.sessions) if (until <= nowMs) this.sessions.delete(id);
    for (const [id, cut] of this.users) if (cut.expiresAt <= nowMs) this.users.delete(id);
  }

  get size(): number {
    return this.sessions.size + this.users.size;
  }
}
