import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Api, SignedInUser } from '../../support/api-client.js';
import type { World, WorldKind } from '../../support/worlds.js';

/**
 * The forged tokens any verifier must refuse, the same on every world. The attacks only jose can
 * be fooled by (algorithms, keys, claims) are in token-attacks.test.ts.
 */
export function refusedTokensSuite(kind: WorldKind): void {
  describe(`tokens the API refuses, on ${kind.name}`, () => {
    let world: World;
    let api: Api;
    let user: SignedInUser;

    beforeAll(async () => {
      world = await kind.start({ label: 'http_refused' });
      api = world.api;
      user = await world.signUp('Target');
    });

    afterAll(async () => {
      await world?.close();
    });

    async function expectRefused(token: string): Promise<string> {
      const res = await api.request('GET', `/api/${user.id}/tasks`, { token });
      expect(res.status).toBe(401);
      const challenge = res.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer realm="api", error="invalid_token", error_description="/);
      expect(JSON.stringify(res.body)).not.toContain(token);
      return challenge;
    }

    it('accepts the real token (the control case)', async () => {
      const res = await api.request('GET', `/api/${user.id}/tasks`, { token: user.token });
      expect(res.status).toBe(200);
    });

    it('refuses an expired token', async () => {
      expect(await expectRefused(await world.expiredToken(user))).toContain('expired');
    });

    it('refuses a token with one character changed', async () => {
      const last = user.token.at(-2) === 'A' ? 'B' : 'A';
      await expectRefused(`${user.token.slice(0, -2)}${last}${user.token.at(-1)}`);
    });

    it('refuses garbage and oversized tokens', async () => {
      await expectRefused('garbage');
      await expectRefused('a.b.c.d.e');
      await expectRefused(`${user.token}${'A'.repeat(9 * 1024)}`);
    });
  });
}
