/**
 * Tokens that must stop working before they expire: those of an ended session (sign-out, revoked
 * sessions, a deleted user), and a user's tokens issued before a cut-off (a password change).
 */
export interface TokenRevocations {
  /**
   * Whether a verified token has been revoked. Answers from memory, never with a database read;
   * throws DependencyUnavailableError('revocations') when it cannot vouch for being current.
   */
  isRevoked(token: {
    readonly userId: string;
    readonly sessionId: string | null;
    readonly issuedAt: number;
  }): boolean;
  /** Revokes every token of a session, until `until` (when the last of them has expired). */
  revokeSession(sessionId: string, until: Date): Promise<void>;
  /** Revokes a user's tokens issued before `issuedBefore` (seconds), until `until`. */
  revokeUserTokens(userId: string, issuedBefore: number, until: Date): Promise<void>;
}
