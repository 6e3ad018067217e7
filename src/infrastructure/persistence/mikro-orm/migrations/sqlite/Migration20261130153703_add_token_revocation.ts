import { Migration } from '@mikro-orm/migrations';

export class Migration20261130153703_add_token_revocation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`token_revocation\` (\`kind\` text not null, \`subject\` text not null, \`issued_before\` bigint null, \`expires_at\` datetime not null, \`recorded_at\` datetime not null, primary key (\`kind\`, \`subject\`));`,
    );
    this.addSql(
      `create index \`token_revocation_recorded_idx\` on \`token_revocation\` (\`recorded_at\`);`,
    );
    this.addSql(
      `create index \`token_revocation_expires_idx\` on \`token_revocation\` (\`expires_at\`);`,
    );
  }
}
