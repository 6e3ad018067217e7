// app/api/auth/[...all]/route.ts: mounts Better Auth in the Next.js app (sign-up, sign-in,
// session, /api/auth/token, /api/auth/jwks).
import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '../../../../lib/auth.js';

export const { GET, POST } = toNextJsHandler(auth);
