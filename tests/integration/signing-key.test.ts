import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiProcess, runNode } from '../support/child-process.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL, TEST_SECRET } from '../support/test-service.js';

/** A database whose signing key was made by a service with EdDSA and TEST_SECRET. */
describe('a restart with settings that do not fit the stored signing key', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createPostgresDatabase('signing_key');
    const first = await startTestService({ database: db.config });
    await first.close();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('starts again with the same algorithm and secret', async () => {
    const again = await startTestService({ database: db.config });
    await again.close();
  });

  it('refuses another AUTH_JWT_ALG, naming it and the stored key type', async () => {
    await expect(
      startTestService({ database: db.config, tokens: { algorithm: 'ES256' } }),
    ).rejects.toMatchObject({
      name: 'ConfigError',
      problems: [expect.stringMatching(/^AUTH_JWT_ALG: is ES256, but .* is EdDSA/)],
    });
  });

  it('refuses another BETTER_AUTH_SECRET as a process, with the variable named', async () => {
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const proc = runNode('dist/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: TEST_AUTH_URL,
      BETTER_AUTH_SECRET: `${TEST_SECRET}-but-another-one`,
    });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toMatch(/BETTER_AUTH_SECRET: cannot unlock the signing key/);
    expect(proc.stdout()).not.toContain('listening');
  });

  it('still starts with the right secret afterwards', async () => {
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const { process: proc } = await startApiProcess({
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: TEST_AUTH_URL,
      BETTER_AUTH_SECRET: TEST_SECRET,
    });
    expect(await proc.stop()).toBe(0);
  });
});
