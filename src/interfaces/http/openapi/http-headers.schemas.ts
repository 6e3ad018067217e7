import { z } from 'zod';
import { MAX_USER_ID_LENGTH } from '../../../application/auth/authenticated-user.js';
import { MAX_SYNC_TOKEN_LENGTH } from '../../../application/tasks/task.view.js';
import { MAX_HEADER_BYTES } from '../http-server.js';
import { MAX_ENTITY_TAG_LIST_LENGTH } from '../tasks/entity-tags.js';
import { MAX_KEY_LENGTH } from '../tasks/idempotency-key.js';

/**
 * The headers the API reads and sends, as the OpenAPI document describes them. Each is a
 * component (`header.id` or `param.id`), referenced wherever it occurs.
 */

const RATE_LIMIT_NOTE =
  'Sent on every answer to a request whose token was verified, while `TASK_API_RATE_LIMIT` is not 0 (draft-ietf-httpapi-ratelimit-headers).';

/** Response headers. */
export const responseHeaders = {
  'X-Request-Id': z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .max(64)
    .meta({
      description:
        "The request's id, in the log line of the request: the caller's own `X-Request-Id` when it is 1–64 letters, digits, `_`, `.` or `-`, otherwise a new UUID.",
      example: '6f1c1f8e-2d4b-4c55-9a39-6c1f0e8d2b7a',
      header: { id: 'X-Request-Id' },
    }),
  ETag: z
    .string()
    .regex(/^"[1-9]\d*"$/)
    .max(12) // a 32-bit version in quotes
    .meta({
      description:
        "The task's strong entity tag: its `version` in quotes. Send it back as `If-Match` to write only that version, or as `If-None-Match` to read only a newer one.",
      example: '"3"',
      header: { id: 'ETag' },
    }),
  Location: z
    .string()
    .regex(/^\/api\/[^/]+\/tasks\/[0-9a-f-]{36}$/)
    .max('/api/'.length + 3 * MAX_USER_ID_LENGTH + '/tasks/'.length + 36) // the id %-encoded
    .meta({
      description: "The new task's URL.",
      example: '/api/kZ3pQ8vN2mX7rT4wY6bH1cJ5dL9fG0sA/tasks/0b7e5f4e-3c1a-4d2b-9f6e-8a1c2d3e4f50',
      header: { id: 'Location' },
    }),
  'Idempotent-Replayed': z
    .literal('true')
    .optional()
    .meta({
      description:
        'Present when this is the first answer to the same `Idempotency-Key` and body again: no second task was created.',
      header: { id: 'Idempotent-Replayed' },
    }),
  'WWW-Authenticate': z
    .string()
    .max(512)
    .meta({
      description:
        'RFC 6750: `Bearer realm="api"` without a token; with `error="invalid_token"` (or `"invalid_request"` for a malformed header) and an `error_description` saying why.',
      example:
        'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
      header: { id: 'WWW-Authenticate' },
    }),
  'Retry-After': z
    .string()
    .regex(/^\d+$/)
    .max(10)
    .meta({
      description: 'Seconds to wait before trying again.',
      example: '5',
      header: { id: 'Retry-After' },
    }),
  RateLimit: z
    .string()
    .regex(/^"per-user";r=\d+;t=\d+$/)
    .max(64)
    .optional()
    .meta({
      description: `How many requests (\`r\`) are left to the caller in this window, and for how many more seconds (\`t\`). ${RATE_LIMIT_NOTE}`,
      example: '"per-user";r=599;t=42',
      header: { id: 'RateLimit' },
    }),
  'RateLimit-Policy': z
    .string()
    .regex(/^"per-user";q=\d+;w=\d+$/)
    .max(64)
    .optional()
    .meta({
      description: `The limit: \`q\` requests per \`w\` seconds per user, counted by each instance. ${RATE_LIMIT_NOTE}`,
      example: '"per-user";q=600;w=60',
      header: { id: 'RateLimit-Policy' },
    }),
};

/** Request headers, each optional. */
export const requestHeaders = {
  'X-Request-Id': z
    .string()
    // Any other value is replaced, not refused (a proxy's own ids may be longer); the server
    // refuses headers over MAX_HEADER_BYTES altogether (431).
    .max(MAX_HEADER_BYTES)
    .optional()
    .meta({
      description:
        'Your id for this request, echoed back and logged when it is 1–64 letters, digits, `_`, `.` or `-` (otherwise the API makes one).',
      example: 'checkout-42',
      param: { id: 'RequestId' },
    }),
  'If-Match': z
    .string()
    .max(MAX_ENTITY_TAG_LIST_LENGTH)
    .optional()
    .meta({
      description:
        'Write only while the task is still at one of these versions: `*` or a list of ETags as the API sent them (`"3"`, with the quotes). A weak tag (`W/"3"`) never matches. Otherwise 412, and nothing changes; malformed: 400.',
      example: '"3"',
      param: { id: 'IfMatch' },
    }),
  'If-None-Match': z
    .string()
    .max(MAX_ENTITY_TAG_LIST_LENGTH)
    .optional()
    .meta({
      description:
        'Answer 304 without a body when the task is still at one of these versions (`*`: whenever it exists). Malformed: 400.',
      example: '"3"',
      param: { id: 'IfNoneMatch' },
    }),
  'Last-Event-ID': z
    .string()
    .max(MAX_SYNC_TOKEN_LENGTH)
    .optional()
    .meta({
      description:
        'The `id` of the last event received (browsers send it by themselves when they reconnect): the stream starts with every change after it, so a reconnect misses nothing. Takes precedence over `since`.',
      param: { id: 'LastEventId' },
    }),
  'Idempotency-Key': z
    .string()
    .max(2 + 2 * MAX_KEY_LENGTH) // quoted, every character escaped
    .optional()
    .meta({
      description:
        'Makes a create safe to retry: 1–255 printable ASCII characters, bare or as a structured-field string in quotes. The same user, key and body (compared as parsed JSON) within 24 hours get the first answer again (201 with `Idempotent-Replayed: true`) and no second task; another body with the key: 422; while the first request still runs: 409. Malformed or repeated: 400.',
      example: '5d0b3c1e-8a4f-4f7e-9b2a-1c3d5e7f9a0b',
      param: { id: 'IdempotencyKey' },
    }),
};
