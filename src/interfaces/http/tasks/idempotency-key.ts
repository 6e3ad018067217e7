import { createHash } from 'node:crypto';
import { HttpProblem, problem } from '../problem.js';

/** Printable ASCII, as a bare value. */
const BARE_KEY = /^[\x20-\x7e]+$/;
/** A structured-field string (RFC 8941 §3.3.3): quoted, with \" and \\ escapes. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
export const MAX_KEY_LENGTH = 255;

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header-07): 1–255 printable
 * ASCII characters, bare or as a structured-field string. Undefined when the header is absent.
 */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const quoted = SF_STRING.exec(header);
  const key = quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : header;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !BARE_KEY.test(key)) {
    throw new HttpProblem(
      problem(
        'invalid-idempotency-key',
        `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters, such as a UUID.`,
      ),
    );
  }
  return key;
}

/**
 * What a retry must repeat: the parsed JSON of the body, keys in a fixed order, so that the same
 * request sent with other spacing or key order counts as the same.
 */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
