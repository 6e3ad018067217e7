import { Migration } from '@mikro-orm/migrations';

export class Migration20261130144331_add_idempotency_key extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`idempotency_key\` (\`user_id\` text not null, \`key\` text not null, \`fingerprint\` text not null, \`task_id\` text not null, \`started_at\` datetime not null, \`expires_at\` datetime not null, \`result\` text null, primary key (\`user_id\`, \`key\`));`,
    );
    this.addSql(
      `create index \`idempotency_key_expires_idx\` on \`idempotency_key\` (\`expires_at\`);`,
    );
  }
}
