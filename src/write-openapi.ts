import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from './infrastructure/config/env.js';
import { authMountOf, openServices } from './infrastructure/di/container.js';
import { createOpenApiDocument } from './interfaces/http/openapi/openapi-document.js';

/**
 * `npm run lint:api`'s first step: writes the OpenAPI document a production service serves by
 * default (its own Better Auth included) to the file named by the first argument. Better Auth
 * describes its endpoints only once its tables exist, so it runs on SQLite in a temporary folder:
 * no database server needed.
 */
const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node dist/write-openapi.js <file>');
const dataDir = await mkdtemp(join(tmpdir(), 'task-api-openapi-'));
try {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    BETTER_AUTH_URL: 'https://api.example.com',
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64'),
  });
  const services = await openServices(config, { logger: pino({ level: 'silent' }) });
  try {
    await services.migrate();
    const auth = await authMountOf(services.betterAuth);
    const document = createOpenApiDocument(undefined, auth?.operations ?? null);
    await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await services.close();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
