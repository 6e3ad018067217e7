/**
 * Longer than any window Better Auth's rate limiter applies here (its longest rule is 60 s): a
 * row this old no longer counts for anything.
 */
export const RATE_LIMIT_ROW_LIFETIME_MS = 10 * 60 * 1000;

/** The part of Better Auth's database adapter the sweeper uses. */
export interface RateLimitRows {
  deleteMany(query: {
    model: 'rateLimit';
    where: { field: 'lastRequest'; operator: 'lt'; value: number }[];
  }): Promise<number>;
}

/**
 * Deletes expired rows of Better Auth's rateLimit table. Better Auth prunes only when a key it
 * has seen before comes back after its window; rows of addresses that never return would stay
 * for ever.
 */
export class RateLimitSweeper {
  constructor(private readonly rows: () => Promise<RateLimitRows>) {}

  /** Deletes the rows last used more than RATE_LIMIT_ROW_LIFETIME_MS before `now`; says how many. */
  async sweep(now = Date.now()): Promise<number> {
    const rows = await this.rows();
    return rows.deleteMany({
      model: 'rateLimit',
      where: [{ field: 'lastRequest', operator: 'lt', value: now - RATE_LIMIT_ROW_LIFETIME_MS }],
    });
  }
}
