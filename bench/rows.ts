import type { LoadRequest } from './load.js';
import { COMMON_TAG, COMMON_TERM, PHRASE, POSTED_TITLE, RARE_TERM } from './seed.js';
import type { ServiceName } from './services.js';

/** Where an HTTP row's requests go, and the caller sending them. */
export interface Target {
  readonly url: string;
  readonly userId: string;
  /** The caller's bearer value for this row's service (a JWT, a fake token, a session cookie). */
  readonly token: string;
  /** One of the caller's tasks (the newest), for a row that addresses a single task. */
  readonly taskId: string;
}

/** Load from another process against one service: requests/s and latency. */
export interface HttpRow {
  readonly id: string;
  readonly label: string;
  readonly service: ServiceName;
  readonly request: (target: Target) => LoadRequest;
  /** Tasks in the table, the caller's 200 among them (default 1 000); the table only grows. */
  readonly tasks?: number;
}

/** The service's own verifier called directly, one call at a time, no HTTP: µs per call. */
export interface VerifierRow {
  readonly id: string;
  readonly label: string;
  readonly service: ServiceName;
  /** `new`: a token the verifier has never seen, on every call; `same`: the caller's, again. */
  readonly tokens: 'new' | 'same';
}

export type Measure = 'requestsPerSecond' | 'p99Ms' | 'cpuMicrosPerRequest' | 'microsPerCall';

/** One row's measure, or its ratio to another row's, against a target of the README. */
export interface Check {
  readonly row: string;
  /** Divide by this row's value of the same measure. */
  readonly over?: string;
  readonly measure: Measure;
  /** Neither bound: printed, not judged. */
  readonly atLeast?: number;
  readonly atMost?: number;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tasksOf = ({ url, userId }: Target) => `${url}/api/${encodeURIComponent(userId)}/tasks`;

/** The first page of the caller's list, newest first. */
const list = (target: Target): LoadRequest => ({
  url: `${tasksOf(target)}?limit=20`,
  headers: bearer(target.token),
});

/** The first page of the caller's tasks whose title or description contains `term`. */
const search =
  (term: string) =>
  (target: Target): LoadRequest => ({
    url: `${tasksOf(target)}?limit=20&q=${encodeURIComponent(term)}`,
    headers: bearer(target.token),
  });

/** The first page of the caller's tasks carrying `tag`. */
const tagged =
  (tag: string) =>
  (target: Target): LoadRequest => ({
    url: `${tasksOf(target)}?limit=20&tag=${encodeURIComponent(tag)}`,
    headers: bearer(target.token),
  });

/** A new task on each request (removed before the next row). */
const post = (target: Target): LoadRequest => ({
  url: tasksOf(target),
  method: 'POST',
  headers: { ...bearer(target.token), 'content-type': 'application/json' },
  body: JSON.stringify({ title: POSTED_TITLE, description: 'Created by the benchmark' }),
});

/** `post` with a new Idempotency-Key on each request: the caller soon holds the most it may. */
const postWithKey = (target: Target): LoadRequest => {
  const request = post(target);
  return {
    ...request,
    headers: { ...request.headers, 'idempotency-key': '[<id>]' },
    idReplacement: true,
  };
};

// The tables below are kept as tables: one row a line.

/** Run first, while the database is small and idle. */
// prettier-ignore
export const VERIFIER_ROWS: readonly VerifierRow[] = [
  { id: 'verify-eddsa-new',  service: 'eddsa',   tokens: 'new',  label: 'EdDSA, a new token each call' },
  { id: 'verify-eddsa-same', service: 'eddsa',   tokens: 'same', label: 'EdDSA, the same token again' },
  { id: 'verify-hs256-new',  service: 'hs256',   tokens: 'new',  label: 'HS256, a new token each call' },
  { id: 'verify-hs256-same', service: 'hs256',   tokens: 'same', label: 'HS256, the same token again' },
  { id: 'verify-session',    service: 'session', tokens: 'same', label: 'Better Auth getSession' },
];

/** Run in this order; rows that grow the table come last. */
// prettier-ignore
export const HTTP_ROWS: readonly HttpRow[] = [
  { id: 'list-eddsa',   service: 'eddsa',   request: list, label: 'GET list, JWT EdDSA' },
  { id: 'list-metrics', service: 'metrics', request: list, label: 'GET list, JWT EdDSA, metrics on' },
  { id: 'list-fake',    service: 'fake',    request: list, label: 'GET list, fake verifier' },
  { id: 'list-limit-pg',    service: 'limit-postgres', request: list, label: 'GET list, JWT EdDSA, per-user limit on PostgreSQL' },
  { id: 'list-limit-redis', service: 'limit-redis',    request: list, label: 'GET list, JWT EdDSA, per-user limit on Redis' },
  { id: 'list-session', service: 'session', request: list, label: 'GET list, getSession per request' },
  { id: 'list-hs256',   service: 'hs256',   request: list, label: 'GET list, JWT HS256' },
  // After the other list rows: the OpenTelemetry SDK it starts stays patched into pg and Better Auth.
  { id: 'list-tracing', service: 'tracing', request: list, label: 'GET list, JWT EdDSA, traced (10 % sampled, OTLP to a local sink)' },
  { id: 'post',         service: 'eddsa',   request: post, label: 'POST task, JWT EdDSA' },
  { id: 'post-key',     service: 'eddsa',   request: postWithKey, label: 'POST task, JWT EdDSA, a new Idempotency-Key' },
  { id: 'list-1k',      service: 'eddsa',   request: list, label: 'GET list, JWT EdDSA', tasks: 1_000 },
  { id: 'list-100k',    service: 'eddsa',   request: list, label: 'GET list, JWT EdDSA', tasks: 100_000 },
  { id: 'list-1m',      service: 'eddsa',   request: list, label: 'GET list, JWT EdDSA', tasks: 1_000_000 },
  { id: 'q-1m',         service: 'eddsa',   request: search(COMMON_TERM), label: `GET list, q=${COMMON_TERM} (6 % of titles)`, tasks: 1_000_000 },
  { id: 'q-phrase-1m',  service: 'eddsa',   request: search(PHRASE),      label: `GET list, q=${PHRASE} (1 % of titles)`, tasks: 1_000_000 },
  { id: 'q-rare-1m',    service: 'eddsa',   request: search(RARE_TERM),   label: `GET list, q=${RARE_TERM} (1 % of tasks)`, tasks: 1_000_000 },
  { id: 'tag-1m',       service: 'eddsa',   request: tagged(COMMON_TAG),  label: `GET list, tag=${COMMON_TAG} (10 % of tasks)`, tasks: 1_000_000 },
];

/** The targets of bench/README.md: `row`'s measure (divided by `over`'s), judged every run. */
// prettier-ignore
export const CHECKS: readonly Check[] = [
  { row: 'list-eddsa',        over: 'list-fake',         measure: 'requestsPerSecond', atLeast: 0.9 },
  { row: 'list-eddsa',        over: 'list-session',      measure: 'requestsPerSecond', atLeast: 1.5 },
  // Issue 21: metrics cost under 5 %.
  { row: 'list-metrics',      over: 'list-eddsa',        measure: 'requestsPerSecond', atLeast: 0.95 },
  // Issue 21: tracing configured, 10 % of traces sampled, costs under 15 %.
  { row: 'list-tracing',      over: 'list-eddsa',        measure: 'requestsPerSecond', atLeast: 0.85 },
  // Issue 21: the shared per-user limit (list-eddsa has it off) costs under 10 %.
  { row: 'list-limit-pg',     over: 'list-eddsa',        measure: 'requestsPerSecond', atLeast: 0.9 },
  { row: 'list-limit-redis',  over: 'list-eddsa',        measure: 'requestsPerSecond', atLeast: 0.9 },
  { row: 'verify-session',    over: 'verify-eddsa-same', measure: 'microsPerCall',     atLeast: 10 },
  { row: 'verify-eddsa-same',                            measure: 'microsPerCall',     atMost: 100 },
  // Shown, not judged: on the VM of RESULTS.md the Ed25519 arithmetic alone takes over 100 µs.
  { row: 'verify-session',    over: 'verify-eddsa-new',  measure: 'microsPerCall' },
  { row: 'list-1m',           over: 'list-1k',           measure: 'p99Ms',             atMost: 1.5 },
  // Issue 12: q and tag are served by indexes, so they cost about what the plain list does.
  { row: 'q-1m',              over: 'list-1m',           measure: 'p99Ms',             atMost: 2 },
  { row: 'q-phrase-1m',       over: 'list-1m',           measure: 'p99Ms',             atMost: 2 },
  { row: 'q-rare-1m',         over: 'list-1m',           measure: 'p99Ms',             atMost: 2 },
  { row: 'tag-1m',            over: 'list-1m',           measure: 'p99Ms',             atMost: 2 },
];
