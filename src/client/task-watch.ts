import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { TaskSyncChange, TaskView } from '../application/tasks/task.view.js';
import { apiErrorFor, UnauthorizedError, type ProblemDetails } from './api-errors.js';
import { readClaims, type TokenCache } from './token-cache.js';

export interface WatchOptions {
  /** Stops watching; `watch` then resolves. */
  readonly signal?: AbortSignal;
  /** A sync token (a `next` of `tasks.sync`, or the token of a change seen): start after it. */
  readonly since?: string;
  /**
   * The stream cannot resume from where it was (the token is too old, or the reader fell behind):
   * sync from scratch (`tasks.sync()`), then watching goes on from now. Without it, `watch`
   * rejects with the API's `SyncExpiredError`-like error.
   */
  readonly onResync?: () => void | Promise<void>;
}

/** What `watch` needs of the client: the API, the token cache, fetch. */
export interface WatchContext {
  readonly baseUrl: string;
  readonly tokens: TokenCache;
  readonly http: typeof fetch;
  /** Reconnect this long before the token expires, with a fresh one. */
  readonly refreshMarginMs: number;
  readonly problemOf: (response: Response) => Promise<ProblemDetails>;
}

/** The first wait before a reconnect after a failure; it doubles up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** How a connection ended, and what to do next. */
type Outcome = 'reconnect' | 'refresh-token' | 'resync' | 'revoked' | 'failed';

/**
 * Follows the caller's task changes live (GET /tasks/events): calls `onChange` with each change
 * (`{ task }` or `{ deleted: id }`, as `tasks.sync` gives them) and the sync token after it, in
 * the order they were made. Reconnects by itself: with `Last-Event-ID`, so nothing is missed;
 * after a failure with a growing, jittered backoff; with a fresh token shortly before the old one
 * expires (or when the server says `reauth`). Resolves when `signal` aborts; rejects when the user
 * is signed out (UnauthorizedError) or the API refuses the request.
 */
export async function watchTasks(
  context: WatchContext,
  onChange: (change: TaskSyncChange, token: string) => void,
  options: WatchOptions = {},
): Promise<void> {
  const { signal } = options;
  let lastEventId = options.since;
  let retryMs = FIRST_BACKOFF_MS;
  let failures = 0;
  while (!signal?.aborted) {
    const token = await context.tokens.get();
    if (!token) throw notSignedIn();
    const outcome = await connect(context, token, lastEventId, signal, {
      onEvent(event) {
        if (event.id) lastEventId = event.id;
        if (event.event === 'ready' || event.event === 'task' || event.event === 'deleted') {
          failures = 0;
        }
        if (event.event === 'task') {
          onChange({ task: JSON.parse(event.data) as TaskView }, event.id ?? '');
        } else if (event.event === 'deleted') {
          const { id } = JSON.parse(event.data) as { id: string };
          onChange({ deleted: id }, event.id ?? '');
        }
      },
      onRetry: (ms) => (retryMs = ms),
    });
    if (signal?.aborted) return;
    switch (outcome) {
      case 'refresh-token':
        await context.tokens.replace(token);
        continue;
      case 'revoked':
        // The session ended; a token of another session may still be on offer.
        if (!(await context.tokens.replace(token))) throw notSignedIn();
        continue;
      case 'resync':
        if (!options.onResync) throw resyncError();
        await options.onResync();
        lastEventId = undefined;
        continue;
      case 'reconnect':
        await sleep(jitter(retryMs), signal);
        continue;
      case 'failed':
        failures += 1;
        await sleep(
          jitter(Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1))),
          signal,
        );
        continue;
    }
  }
}

async function connect(
  context: WatchContext,
  token: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
  callbacks: { onEvent(event: EventSourceMessage): void; onRetry(ms: number): void },
): Promise<Outcome> {
  const connection = new AbortController();
  const stop = () => connection.abort();
  signal?.addEventListener('abort', stop, { once: true });
  // A fresh token before this one expires: end this connection then, and resume with the new one.
  let renewed = false;
  const { exp, iat } = readClaims(token);
  const renewAt =
    typeof exp === 'number'
      ? exp * 1000 - Math.min(context.refreshMarginMs, ((exp - (iat ?? exp)) * 1000) / 2)
      : null;
  const renew =
    renewAt === null
      ? undefined
      : setTimeout(
          () => {
            renewed = true;
            connection.abort();
          },
          Math.max(0, renewAt - Date.now()),
        );
  try {
    let response: Response;
    try {
      response = await context.http(`${context.baseUrl}/api/${userIdOf(token)}/tasks/events`, {
        headers: {
          Accept: 'text/event-stream',
          Authorization: `Bearer ${token}`,
          ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
        },
        signal: connection.signal,
      });
    } catch {
      return renewed ? 'refresh-token' : 'failed';
    }
    if (response.status === 401) return 'refresh-token';
    if (response.status === 429 || response.status >= 500) return 'failed';
    if (!response.ok) {
      const problem = await context.problemOf(response);
      // A token this API cannot resume from (another database, a tampered one): start afresh.
      if (response.status === 422 && lastEventId) return 'resync';
      throw apiErrorFor(problem);
    }
    let ending: Outcome = 'reconnect';
    const parser = createParser({
      onEvent(event) {
        if (event.event === 'reauth') ending = 'refresh-token';
        else if (event.event === 'revoked') ending = 'revoked';
        else if (event.event === 'resync') ending = 'resync';
        else callbacks.onEvent(event);
      },
      onRetry: callbacks.onRetry,
    });
    const reader = response.body?.getReader();
    if (!reader) return 'failed';
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      return renewed ? 'refresh-token' : 'failed';
    }
    return ending;
  } finally {
    clearTimeout(renew);
    signal?.removeEventListener('abort', stop);
  }
}

function userIdOf(token: string): string {
  return encodeURIComponent(readClaims(token).sub ?? '');
}

/** Up to a fifth more, so that clients cut off together do not come back together. */
function jitter(ms: number): number {
  return ms + Math.random() * ms * 0.2;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function notSignedIn(): UnauthorizedError {
  return new UnauthorizedError({
    type: '/problems/unauthorized',
    title: 'Not signed in',
    status: 401,
    detail: 'Sign in to continue.',
  });
}

function resyncError(): Error {
  return apiErrorFor({
    type: '/problems/sync-expired',
    title: 'Sync token expired',
    status: 410,
    detail:
      'The stream cannot resume from here: sync from scratch (tasks.sync() without a token), or pass onResync to watch.',
  });
}
