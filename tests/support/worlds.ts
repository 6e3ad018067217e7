import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createUseCases } from '../../src/application/use-cases.js';
import type { TaskRepository } from '../../src/domain/task/task-repository.port.js';
import { InMemoryTokenRevocations } from '../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InMemoryIdempotencyStore } from '../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { CryptoIdGenerator } from '../../src/infrastructure/system/crypto-id-generator.js';
import { SystemClock } from '../../src/infrastructure/system/system-clock.js';
import { createApp } from '../../src/interfaces/http/app.js';
import { Api, signUp, type SignedInUser } from './api-client.js';
import { assertMatchesDocument } from './openapi-contract.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from './test-database.js';
import { startTestService } from './test-service.js';
import { inMemoryTasks } from './in-memory-tasks.js';

/**
 * A running Task API and the means to get users into it. Every answer its `api` gets is checked
 * against the OpenAPI document: a suite that gets an answer the document does not describe fails.
 */
export interface World {
  readonly api: Api;
  /** A new user with a token this world's API accepts. */
  signUp(name?: string): Promise<SignedInUser>;
  /** A token for `user`, signed as this world signs them, that expired a minute ago. */
  expiredToken(user: SignedInUser): Promise<string>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Names the test database. */
  readonly label: string;
  /** Replaces the world's task repository. */
  readonly tasks?: TaskRepository;
  readonly logger?: Logger;
  readonly maxTasksPerUser?: number;
}

/** One way to run the same HTTP suite: on in-memory adapters, or on the real parts. */
export interface WorldKind {
  readonly name: string;
  start(options: WorldOptions): Promise<World>;
}

/** The whole HTTP app on in-memory adapters: no database, no Better Auth, no jose. */
export const IN_MEMORY: WorldKind = {
  name: 'in-memory adapters',
  async start({ tasks, logger, maxTasksPerUser }) {
    const verifier = new InMemoryTokenVerifier();
    const ports = {
      ...inMemoryTasks(tasks),
      idempotency: new InMemoryIdempotencyStore(),
      verifier,
      revocations: new InMemoryTokenRevocations(),
      clock: new SystemClock(),
      ids: new CryptoIdGenerator(),
      readiness: { isReady: async () => true },
    };
    const app = createApp(createUseCases(ports, { maxTasksPerUser }), { logger });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      api: new Api(`http://127.0.0.1:${port}`, assertMatchesDocument),
      async signUp(name = 'Test User') {
        // Shaped like Better Auth's users: a 32-character id, an email, a name.
        const id = randomBytes(16).toString('hex');
        const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 8)}@example.com`;
        return { id, email, name, cookie: '', token: verifier.issue({ id, email, name }) };
      },
      expiredToken: async (user) => verifier.issue(user, -60),
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
};

function realWorld(
  name: string,
  createDatabase: (label: string) => Promise<TestDatabase>,
): WorldKind {
  return {
    name,
    async start({ label, tasks, logger, maxTasksPerUser }) {
      const db = await createDatabase(label);
      const service = await startTestService({
        database: db.config,
        maxTasksPerUser: maxTasksPerUser ?? null,
        overrides: { ...(tasks ? { tasks } : {}), ...(logger ? { logger } : {}) },
      });
      const api = new Api(service.url, assertMatchesDocument);
      const betterAuth = service.services.betterAuth;
      if (!betterAuth) throw new Error('the test service runs Better Auth');
      return {
        api,
        signUp: (userName) => signUp(api, userName),
        async expiredToken(user) {
          const now = Math.floor(Date.now() / 1000);
          const { sid } = JSON.parse(
            Buffer.from(user.token.split('.')[1] ?? '', 'base64url').toString(),
          ) as { sid: string };
          const payload = { sub: user.id, user_id: user.id, sid, iat: now - 7200, exp: now - 60 };
          return (await betterAuth.auth.api.signJWT({ body: { payload } })).token;
        },
        async close() {
          await service.close();
          await db.drop();
        },
      };
    },
  };
}

/** The real composition: PostgreSQL, Better Auth issuing real tokens, jose verifying them. */
export const POSTGRES = realWorld('PostgreSQL, Better Auth and jose', createPostgresDatabase);

/** The real composition on the embedded SQLite database. */
export const SQLITE = realWorld('SQLite, Better Auth and jose', async () => createSqliteDatabase());
