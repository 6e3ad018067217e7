import type { MikroORM } from '@mikro-orm/core';
import type { TokenRevocations } from '../../../application/auth/token-revocations.port.js';
import type { Clock } from '../../../application/shared/clock.port.js';
import type { Revocation, RevocationList } from '../../auth/revocation-list.js';
import { guardDatabase } from '../database-errors.js';

/** Says whether the in-memory list can be trusted right now; throws when it cannot. */
export interface Freshness {
  assertCurrent(): void;
}

/** SQLite: one process writes every revocation and applies it itself, so the list is current. */
export const ALWAYS_CURRENT: Freshness = { assertCurrent: () => undefined };

/** Channel every PostgreSQL write notifies; payload: the revocation as JSON (ids only). */
export const REVOCATION_CHANNEL = 'token_revocation';

const UPSERT = `insert into "token_revocation"
    ("kind", "subject", "issued_before", "expires_at", "recorded_at")
  values (?, ?, ?, ?, RECORDED_AT)
  on conflict ("kind", "subject") do update set
    "issued_before" = LATEST("token_revocation"."issued_before", excluded."issued_before"),
    "expires_at" = LATEST("token_revocation"."expires_at", excluded."expires_at"),
    "recorded_at" = excluded."recorded_at"`;

/** One statement: the row and the notification commit together, or neither does. */
const POSTGRES_WRITE = `with saved as (${UPSERT.replace('RECORDED_AT', 'now()').replaceAll('LATEST', 'greatest')}
  returning "kind", "subject", "issued_before", "expires_at")
select pg_notify('${REVOCATION_CHANNEL}', json_build_object(
  'kind', "kind", 'subject', "subject", 'issuedBefore', "issued_before", 'expiresAt', "expires_at")::text)
from saved`;

const SQLITE_WRITE = UPSERT.replace('RECORDED_AT', '?').replaceAll('LATEST', 'max');

/**
 * Revocations kept in the `token_revocation` table, and in memory for the checks. A write is
 * applied here at once; other instances learn it from PostgreSQL's notification (see
 * PostgresRevocationListener), which keeps `freshness`.
 */
export class MikroOrmTokenRevocations implements TokenRevocations {
  constructor(
    private readonly orm: MikroORM,
    private readonly dialect: 'postgresql' | 'sqlite',
    private readonly list: RevocationList,
    private readonly clock: Clock,
    private readonly freshness: Freshness,
  ) {}

  isRevoked(token: Parameters<TokenRevocations['isRevoked']>[0]): boolean {
    this.freshness.assertCurrent();
    return this.list.isRevoked(token, this.clock.now().getTime());
  }

  revokeSession(sessionId: string, until: Date): Promise<void> {
    return this.record({
      kind: 'session',
      subject: sessionId,
      issuedBefore: null,
      expiresAt: until,
    });
  }

  revokeUserTokens(userId: string, issuedBefore: number, until: Date): Promise<void> {
    return this.record({ kind: 'user', subject: userId, issuedBefore, expiresAt: until });
  }

  /** Reads every revocation still in force (SQLite: at start, so they survive a restart). */
  load(): Promise<void> {
    return guardDatabase(async () => {
      const rows = await this.orm.em.getConnection().execute<
        {
          kind: Revocation['kind'];
          subject: string;
          issued_before: unknown;
          expires_at: unknown;
        }[]
      >('select "kind", "subject", "issued_before", "expires_at" from "token_revocation" where "expires_at" > ?', [this.clock.now()]);
      for (const row of rows) {
        this.list.apply({
          kind: row.kind,
          subject: row.subject,
          issuedBefore: row.issued_before === null ? null : Number(row.issued_before),
          expiresAt: new Date(row.expires_at as string | number | Date),
        });
      }
    });
  }

  /** Deletes at most `limit` rows whose tokens have all expired; answers how many. */
  purgeExpired(limit: number): Promise<number> {
    return guardDatabase(async () => {
      const result = await this.orm.em.getConnection().execute<{ affectedRows?: number }>(
        `delete from "token_revocation" where ("kind", "subject") in
          (select "kind", "subject" from "token_revocation" where "expires_at" <= ? limit ?)`,
        [this.clock.now(), limit],
        'run',
      );
      return result.affectedRows ?? 0;
    });
  }

  private async record(revocation: Revocation): Promise<void> {
    const { kind, subject, issuedBefore, expiresAt } = revocation;
    await guardDatabase(async () => {
      const connection = this.orm.em.getConnection();
      if (this.dialect === 'postgresql') {
        await connection.execute(POSTGRES_WRITE, [kind, subject, issuedBefore, expiresAt]);
      } else {
        await connection.execute(
          SQLITE_WRITE,
          [kind, subject, issuedBefore, expiresAt, this.clock.now()],
          'run',
        );
      }
    });
    this.list.apply(revocation);
  }
}
