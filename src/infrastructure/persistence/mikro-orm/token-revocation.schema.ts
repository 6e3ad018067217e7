import { EntitySchema } from '@mikro-orm/core';

/**
 * A row of `token_revocation`: written by this service's Better Auth hooks, or by an external
 * issuer sharing the database (examples/nextjs/lib/task-api-revocation.ts), and read by every
 * instance. On PostgreSQL each write also notifies channel `token_revocation`.
 */
export interface TokenRevocationRow {
  kind: 'session' | 'user';
  subject: string;
  issuedBefore: number | null;
  expiresAt: Date;
  recordedAt: Date;
}

export const TokenRevocationSchema = new EntitySchema<TokenRevocationRow>({
  name: 'TokenRevocation',
  tableName: 'token_revocation',
  properties: {
    kind: { type: 'string', length: 16, primary: true },
    subject: { type: 'string', length: 255, primary: true },
    issuedBefore: { type: 'bigint', nullable: true, fieldName: 'issued_before' },
    expiresAt: { type: 'datetime', length: 3, fieldName: 'expires_at' },
    recordedAt: { type: 'datetime', length: 3, fieldName: 'recorded_at' },
  },
  indexes: [
    { name: 'token_revocation_recorded_idx', properties: ['recordedAt'] },
    { name: 'token_revocation_expires_idx', properties: ['expiresAt'] },
  ],
});
