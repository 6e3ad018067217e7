import {
  createRemoteJWKSet,
  customFetch,
  type FetchImplementation,
  type JWTVerifyGetKey,
} from 'jose';
import { DependencyUnavailableError } from '../../application/shared/dependency-unavailable.error.js';

/** Errors that mean "this token names no usable key", as opposed to "the key set is unreachable". */
const TOKEN_KEY_ERRORS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWK_INVALID',
]);

export interface JwksKeySourceOptions {
  /** Fetches the key set; the embedded issuer answers in-process instead of over the network. */
  readonly fetch?: FetchImplementation;
}

/**
 * The issuer's public keys, fetched once and cached; a token with an unknown `kid` triggers at
 * most one refetch per 30 s cooldown. A key set that cannot be fetched becomes
 * DependencyUnavailableError (a 503), never a 401 for a token that may well be valid.
 */
export function createJwksKeySource(url: URL, options: JwksKeySourceOptions = {}): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 4_000,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && TOKEN_KEY_ERRORS.has(code)) throw error;
      throw new DependencyUnavailableError('key-set', { cause: error });
    }
  };
}
