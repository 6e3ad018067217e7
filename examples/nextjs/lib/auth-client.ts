import { jwtClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** Better Auth in the browser, on this app's origin; jwtClient() adds token(): a JWT for the API. */
export const authClient = createAuthClient({ plugins: [jwtClient()] });
