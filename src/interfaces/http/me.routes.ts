import { currentUser } from './middleware/authenticate.js';
import { meResponse } from './openapi/response.schemas.js';
import { defineOperation, json } from './operation.js';

/** GET /api/me: who the token says the caller is. Answered from the token alone. */
export const ME_ROUTES = [
  defineOperation({
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    summary: 'Who am I',
    description: 'Answered from the token alone.',
    tag: 'Users',
    access: 'token',
    answers: { 200: json('The caller.', meResponse) },
    handle: ({ ctx }) => {
      const { id, email, name } = currentUser(ctx);
      ctx.body = { id, email, name };
    },
  }),
];
