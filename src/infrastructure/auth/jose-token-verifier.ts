import {
  decodeProtectedHeader,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { InvalidTokenError, type InvalidTokenReason } from '../../application/auth/auth.errors.js';
import { MAX_TOKEN_BYTES } from '../../application/auth/authenticated-user.js';
import {
  MAX_USER_ID_LENGTH,
  type AuthenticatedUser,
} from '../../application/auth/authenticated-user.js';
import {
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
} from '../../application/auth/token-lifetime.js';
import type { TokenVerifier, VerifiedToken } from '../../application/auth/token-verifier.port.js';
import type { Clock } from '../../application/shared/clock.port.js';
import { DependencyUnavailableError } from '../../application/shared/dependency-unavailable.error.js';
import { NO_TRACER, type SpanNotes, type Tracer } from '../../application/shared/tracer.port.js';
import { VerifiedTokenMemo, type VerifiedTokenMemoOptions } from './verified-token-memo.js';

/** A key set (asymmetric algorithms) or an imported shared secret (HS256). */
export type VerificationKey = JWTVerifyGetKey | CryptoKey | Uint8Array;
/** The key a key set resolved for one token. */
type ResolvedKey = Awaited<ReturnType<JWTVerifyGetKey>>;

export interface JoseTokenVerifierOptions {
  /** The issuer's key set (asymmetric algorithms) or the shared secret (HS256). */
  readonly key: VerificationKey;
  /** The one algorithm accepted, whatever the token's header claims. */
  readonly algorithm: string;
  readonly issuer: string;
  readonly audience: string;
  /** Slack on exp, nbf and iat (default CLOCK_TOLERANCE_SECONDS, which revocations outlast). */
  readonly clockToleranceSeconds?: number;
  /** The longest a token may live, from iat to exp (JWT_MAX_AGE_SECONDS; default: a day). */
  readonly maxAgeSeconds?: number;
  /** Refuse a token that names no session (sid): every token of this issuer comes from one. */
  readonly sessionRequired?: boolean;
  /** The time tokens are checked against (default: the system clock). */
  readonly clock?: Clock;
  /** Bounds of the memo of verified tokens (`{ maxEntries: 0 }`: check every token in full). */
  readonly memo?: VerifiedTokenMemoOptions;
  /** Told of each token accepted: from the memo, or after a full check (metrics). */
  readonly onAccepted?: (result: 'memo_hit' | 'verified') => void;
  /**
   * Times each verification as a span `verify token` (noting whether the memo answered) with a
   * child `check token signature` for a full check (default: not traced).
   */
  readonly tracer?: Tracer;
}

export { MAX_TOKEN_BYTES };

/** header.payload.signature in strict base64url (an empty signature is left for jose to refuse). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]*)$/;

/** What a token's claims must satisfy beyond jose's checks. */
interface ClaimRules {
  /** The latest `iat` accepted: now plus the clock tolerance. */
  readonly latestIssuedAt: number;
  /** The longest `exp - iat` accepted, the clock tolerance included. */
  readonly longestLifetime: number;
  readonly maxAgeSeconds: number;
  readonly sessionRequired: boolean;
}

/** Verifies Better Auth JWTs with jose: signature, algorithm, issuer, audience and lifetime. */
export class JoseTokenVerifier implements TokenVerifier {
  private readonly tolerance: number;
  private readonly maxAgeSeconds: number;
  private readonly memo: VerifiedTokenMemo<ResolvedKey | CryptoKey | Uint8Array>;
  private readonly tracer: Tracer;

  constructor(private readonly options: JoseTokenVerifierOptions) {
    this.tracer = options.tracer ?? NO_TRACER;
    this.tolerance = options.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS;
    this.maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    this.memo = new VerifiedTokenMemo(this.tolerance, options.memo);
  }

  verify(token: string): Promise<VerifiedToken> {
    return this.tracer.inSpan('verify token', (span) => this.verifyNoting(token, span));
  }

  private async verifyNoting(token: string, span: SpanNotes): Promise<VerifiedToken> {
    if (token.length > MAX_TOKEN_BYTES)
      throw new InvalidTokenError('too_large', 'The token is too large');
    const now = this.options.clock?.now() ?? new Date();
    const seconds = now.getTime() / 1000;
    const known = this.memo.recall(token, seconds);
    if (known && (await this.keyStillServes(token, known.key))) {
      span.note({ 'token.memo': 'hit' });
      this.options.onAccepted?.('memo_hit');
      return known.verified;
    }
    span.note({ 'token.memo': 'miss' });
    assertCanonical(token);
    const { payload, key } = await this.tracer.inSpan('check token signature', () =>
      this.verifySignedClaims(token, now),
    );
    const verified = Object.freeze(
      toVerified(payload, {
        latestIssuedAt: Math.floor(seconds) + this.tolerance,
        longestLifetime: this.maxAgeSeconds + this.tolerance,
        maxAgeSeconds: this.maxAgeSeconds,
        sessionRequired: this.options.sessionRequired ?? false,
      }),
    );
    if (typeof payload.exp === 'number') {
      const notBefore = typeof payload.nbf === 'number' ? payload.nbf : Number.NEGATIVE_INFINITY;
      this.memo.remember(token, { verified, key, expiresAt: payload.exp, notBefore }, seconds);
    }
    this.options.onAccepted?.('verified');
    return verified;
  }

  /**
   * A remembered token counts only while the key set still answers it with the very key that
   * checked its signature. JwksKeySource builds a new jose key set on every fetch, which imports
   * new key objects: a withdrawn or replaced key sends the token back to a full check.
   */
  private async keyStillServes(token: string, used: unknown): Promise<boolean> {
    const { key } = this.options;
    if (typeof key !== 'function') return key === used;
    try {
      const [header = '', payload = '', signature = ''] = token.split('.');
      const { alg, ...rest } = decodeProtectedHeader(token);
      if (typeof alg !== 'string') return false;
      return (await key({ ...rest, alg }, { protected: header, payload, signature })) === used;
    } catch {
      this.memo.forget(token);
      return false; // the full check reports what is wrong, in the port's terms
    }
  }

  private async verifySignedClaims(
    token: string,
    now: Date,
  ): Promise<{ payload: JWTPayload; key: ResolvedKey | CryptoKey | Uint8Array }> {
    const { key, algorithm, issuer, audience } = this.options;
    const options = {
      algorithms: [algorithm],
      issuer,
      audience,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: this.tolerance,
      currentDate: now,
    };
    try {
      if (typeof key !== 'function') {
        const { payload } = await jwtVerify(token, key, options);
        return { payload, key };
      }
      let resolved: ResolvedKey | undefined;
      const recordingKey: JWTVerifyGetKey = async (header, input) =>
        (resolved = await key(header, input));
      const { payload } = await jwtVerify(token, recordingKey, options);
      if (resolved === undefined) throw new Error('the key set resolved no key');
      return { payload, key: resolved };
    } catch (error) {
      throw translate(error);
    }
  }
}

/**
 * jose's base64url decoder forgives whitespace and stray low bits, so many strings would verify as
 * one token. Only the one canonical spelling of a signature is accepted.
 */
function assertCanonical(token: string): void {
  const signature = COMPACT_JWS.exec(token)?.[1];
  if (signature === undefined) throw new InvalidTokenError('malformed', 'The token is malformed');
  if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) {
    throw new InvalidTokenError('bad_signature', 'The token signature is invalid');
  }
}

function toVerified(payload: JWTPayload, rules: ClaimRules): VerifiedToken {
  const { sub, iat, exp, sid, user_id: userId, email, name } = payload;
  if (typeof sub !== 'string' || sub.trim().length === 0) {
    throw new InvalidTokenError('invalid_claims', 'The token has no subject');
  }
  if (sub.length > MAX_USER_ID_LENGTH) {
    throw new InvalidTokenError('invalid_claims', 'The token subject is too long');
  }
  if (userId !== undefined && userId !== sub) {
    throw new InvalidTokenError(
      'invalid_claims',
      "The token's user_id claim does not match its subject",
    );
  }
  if (typeof iat === 'number' && iat > rules.latestIssuedAt) {
    throw new InvalidTokenError('invalid_claims', 'The token claims to be issued in the future');
  }
  // A token that outlives the longest any issuer of ours grants was minted by a stolen key or
  // secret, or by a misconfigured issuer: either way, refused however far its exp.
  if (typeof iat === 'number' && typeof exp === 'number' && exp - iat > rules.longestLifetime) {
    throw new InvalidTokenError(
      'lifetime_too_long',
      `The token lives longer than this API accepts (${rules.maxAgeSeconds} s from iat to exp)`,
    );
  }
  if (sid === undefined && rules.sessionRequired) {
    throw new InvalidTokenError(
      'invalid_claims',
      'The token lacks the sid claim: it names no session',
    );
  }
  if (sid !== undefined && (typeof sid !== 'string' || sid.length === 0 || sid.length > 255)) {
    throw new InvalidTokenError('invalid_claims', "The token's sid claim is invalid");
  }
  const user: AuthenticatedUser = {
    id: sub,
    email: typeof email === 'string' ? email : null,
    name: typeof name === 'string' ? name : null,
  };
  // exp, iat and sub are required claims: jose has refused a token without them.
  return { user, sessionId: sid ?? null, issuedAt: typeof iat === 'number' ? iat : 0 };
}

const CLAIM_PROBLEMS: Record<string, [InvalidTokenReason, string]> = {
  iss: ['wrong_issuer', 'The token was not issued by the issuer this API trusts'],
  aud: ['wrong_audience', 'The token is not meant for this API'],
  nbf: ['not_yet_valid', 'The token is not valid yet'],
  iat: ['invalid_claims', "The token's iat claim is invalid"],
};

/** Maps jose's errors to a short, client-safe sentence; never passes jose's own message on. */
function translate(error: unknown): Error {
  if (error instanceof DependencyUnavailableError) return error;
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new InvalidTokenError('expired', 'The token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      if (reason === 'missing') {
        return new InvalidTokenError('invalid_claims', `The token lacks the ${claim} claim`);
      }
      const [why, description] = CLAIM_PROBLEMS[claim ?? ''] ?? [
        'invalid_claims',
        `The token's ${claim} claim is invalid`,
      ];
      return new InvalidTokenError(why, description);
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new InvalidTokenError(
        'algorithm_not_allowed',
        'The token is signed with an algorithm this API does not accept',
      );
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new InvalidTokenError('bad_signature', 'The token signature is invalid');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new InvalidTokenError(
        'unknown_key',
        'The token is signed with a key this API does not know',
      );
    default:
      return new InvalidTokenError('malformed', 'The token is malformed');
  }
}
