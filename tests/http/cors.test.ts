import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningServer } from '../../src/server.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';

const FRONTEND = 'https://app.example.com';

describe('CORS for the frontend origins in CORS_ORIGINS', () => {
  let db: TestDatabase;
  let service: RunningServer;

  beforeAll(async () => {
    db = await createPostgresDatabase('cors');
    service = await startTestService({ database: db.config, corsOrigins: [FRONTEND] });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const preflight = (origin: string, path = '/api/u/tasks') =>
    fetch(service.url + path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });

  it('lets a listed origin call the API with credentials and read its headers', async () => {
    const res = await preflight(FRONTEND);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);

    const answer = await fetch(`${service.url}/health`, { headers: { Origin: FRONTEND } });
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/set-auth-jwt/);
  });

  it('covers Better Auth’s routes too', async () => {
    const res = await preflight(FRONTEND, '/api/auth/sign-in/email');
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
  });

  it('gives any other origin no CORS permission', async () => {
    const res = await preflight('https://evil.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await fetch(`${service.url}/health`, {
      headers: { Origin: 'https://evil.example.com' },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});
