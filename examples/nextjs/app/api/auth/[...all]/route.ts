// Better Auth's routes in the Next.js app: sign-up, sign-in, sign-out, session, and the JWT
// plugin's /api/auth/token (a JWT for the signed-in user) and /api/auth/jwks (its public keys).
import { toNextJsHandler } from 'better-auth/next-js';
import { getAuth } from '@/lib/auth';

export const { GET, POST } = toNextJsHandler((request) => getAuth().handler(request));
