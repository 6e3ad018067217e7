import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';

/** The page as `npm run build` makes it (npm test builds before it runs the tests). */
describe('the task page’s source map', () => {
  let db: TestDatabase;
  let production: RunningServer;
  let development: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('web_ui_source_maps');
    [production, development] = await Promise.all([
      startTestService({ database: db.config, webUi: true, production: true }),
      startTestService({ database: db.config, webUi: true }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([production?.close(), development?.close()]);
    await db?.drop();
  });

  it('is not served in production, and the script does not point at it', async () => {
    const map = await fetch(`${production.url}/app.js.map`);
    expect(map.status).toBe(404);
    const script = await fetch(`${production.url}/app.js`);
    expect(script.status).toBe(200);
    const source = await script.text();
    expect(source).not.toContain('sourceMappingURL');
    expect(source.length).toBeGreaterThan(1000);
  });

  it('is served in development, for the browser’s developer tools', async () => {
    const script = await (await fetch(`${development.url}/app.js`)).text();
    expect(script).toMatch(/\/\/# sourceMappingURL=app\.js\.map\s*$/);
    const map = await fetch(`${development.url}/app.js.map`);
    expect(map.status).toBe(200);
    expect(((await map.json()) as { version: number }).version).toBe(3);
  });
});
