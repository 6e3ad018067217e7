import { Migration } from '@mikro-orm/migrations';

export class Migration20261207201700_add_idempotency_key_owner_age_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "idempotency_key_owner_age_idx" on "idempotency_key" ("user_id", "expires_at", "key");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "idempotency_key_owner_age_idx";`);
  }
}
