/** Where data lives: a PostgreSQL server (Neon included) or an embedded SQLite file. */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'sqlite'; readonly path: string };

/** Tables owned by Better Auth; MikroORM's schema tools must never touch them. */
export const BETTER_AUTH_TABLES = [
  'user',
  'session',
  'account',
  'verification',
  'jwks',
  'rateLimit',
];
