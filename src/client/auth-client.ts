import { createAuthClient } from 'better-auth/client';
import { jwtClient } from 'better-auth/client/plugins';

/**
 * Better Auth's client with the JWT plugin: signUp.email, signIn.email, signOut, getSession and
 * token(). `baseURL` is where Better Auth runs: the API itself, or your Next.js app.
 */
export function createTaskApiAuthClient(baseURL: string) {
  return createAuthClient({ baseURL, plugins: [jwtClient()] });
}

export type TaskApiAuthClient = ReturnType<typeof createTaskApiAuthClient>;
