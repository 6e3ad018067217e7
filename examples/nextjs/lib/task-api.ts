import { createTasksClient } from 'better-auth-task-api/client';
import { authClient } from './auth-client';

/**
 * The Task API's typed client in the browser. Its JWT comes from this app's Better Auth (the
 * session cookie buys one at /api/auth/token); the client keeps it in memory and renews it.
 */
export function createTaskApi(baseUrl: string) {
  return createTasksClient({
    baseUrl,
    getToken: async () => {
      const { data, error } = await authClient.token();
      if (error?.status === 401) return null; // signed out: the client reports "Sign in to continue."
      if (error) throw new Error('Your session could not be checked. Please try again.');
      return data.token;
    },
  });
}

export type TaskApi = ReturnType<typeof createTaskApi>;
