/** Where data lives: a PostgreSQL server (Neon included) or an embedded SQLite file. */
export type DatabaseConfig =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Most connections one instance opens for its requests (Better Auth's included). */
      readonly poolSize?: number;
      /** The direct connection that LISTENs for revocations (default: url). */
      readonly listenUrl?: string;
    }
  | { readonly kind: 'sqlite'; readonly path: string };

/** DATABASE_POOL_SIZE when unset. */
export const DEFAULT_POOL_SIZE = 10;

/** Tables owned by Better Auth; MikroORM's schema tools must never touch them. */
export const BETTER_AUTH_TABLES = [
  'user',
  'session',
  'account',
  'verification',
  'jwks',
  'rateLimit',
];
