import type {
  TaskPage,
  TaskSyncChange,
  TaskSyncPage,
  TaskView,
} from '../application/tasks/task.view.js';
import type {
  CreateTaskBody,
  ListTasksQuery,
  ReplaceTaskBody,
  UpdateTaskBody,
} from '../interfaces/http/tasks/tasks.schemas.js';
import { apiErrorFor, NetworkError, UnauthorizedError, type ProblemDetails } from './api-errors.js';
import { watchTasks, type WatchOptions } from './task-watch.js';
import { readClaims, TokenCache, type TokenSource } from './token-cache.js';

export type Task = TaskView;
/** How much a task matters: `low`, `medium` (the default) or `high`. */
export type Priority = Task['priority'];
/** How often a task comes back once done: `daily`, `weekly` or `monthly` (a task may not). */
export type Recurrence = NonNullable<Task['recurrence']>;
/** A task as read (its version guards the edit), or only its id (no guard). */
export type TaskRef = string | Pick<Task, 'id' | 'version'>;
export type {
  TaskPage,
  CreateTaskBody,
  ReplaceTaskBody,
  UpdateTaskBody,
  ListTasksQuery,
  WatchOptions,
};
/** A change of a sync: `{ task }` as it is now, or `{ deleted: id }`. */
export type TaskChange = TaskSyncChange;

/** What `tasks.sync` brings: the changes to apply in order, and the token for the next sync. */
export interface TaskSync {
  readonly changes: TaskChange[];
  readonly next: string;
}

/** Changes asked for per page by `sync` (the API's most). */
const SYNC_PAGE_SIZE = 500;

export interface Me {
  readonly id: string;
  readonly email: string | null;
  readonly name: string | null;
}

export interface TasksClientOptions {
  /** The Task API, e.g. https://api.example.com (no trailing slash). */
  readonly baseUrl: string;
  /**
   * Where a JWT comes from. Default: GET {authUrl}/api/auth/token with the Better Auth session
   * cookie (credentials: 'include'); null when nobody is signed in.
   */
  readonly getToken?: TokenSource;
  /** Where Better Auth runs; default `baseUrl` (the API's embedded Better Auth). */
  readonly authUrl?: string;
  /** Refresh this long before the token expires. Default 30 s. */
  readonly refreshMarginMs?: number;
  readonly fetch?: typeof fetch;
  /** For tests: the current time in milliseconds. */
  readonly now?: () => number;
}

/** A typed client for the Task API: attaches the JWT, refreshes it, turns problems into errors. */
export function createTasksClient(options: TasksClientOptions) {
  const http = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const authUrl = (options.authUrl ?? baseUrl).replace(/\/+$/, '');
  const tokens = new TokenCache(options.getToken ?? betterAuthToken(authUrl, http), {
    refreshMarginMs: options.refreshMarginMs,
    now: options.now,
  });

  async function send(
    method: string,
    path: string,
    token: string,
    body: unknown,
    headers: Record<string, string>,
  ) {
    try {
      return await http(baseUrl + path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new NetworkError(error);
    }
  }

  /**
   * Calls the API with the current token; on a 401, refreshes the token once and retries once.
   * A create (it carries an Idempotency-Key) is also retried once when no answer came: the key
   * makes sure the retry cannot create a second task.
   */
  async function call<T>(
    method: string,
    path: (userId: string) => string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let token = await requireToken(tokens.get());
    const attempt = () => send(method, path(userIdOf(token)), token, body, headers);
    let response = await attempt().catch((error: unknown) => {
      if (error instanceof NetworkError && headers['Idempotency-Key']) return attempt();
      throw error;
    });
    if (response.status === 401) {
      token = await requireToken(tokens.replace(token));
      response = await attempt();
    }
    if (!response.ok) throw apiErrorFor(await problemOf(response));
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** An edit of a task the caller has read applies only if nobody changed it since (If-Match). */
  const target = (task: TaskRef): { id: string; headers: Record<string, string> } =>
    typeof task === 'string'
      ? { id: task, headers: {} }
      : { id: task.id, headers: { 'If-Match': `"${task.version}"` } };
  const task = (id: string) => (user: string) => `/api/${user}/tasks/${encodeURIComponent(id)}`;
  const list = (user: string) => `/api/${user}/tasks`;

  /** One page of the caller's tasks; pass `nextCursor` back as `cursor` for the next. */
  const listPage = (query: ListTasksQuery = {}) =>
    call<TaskPage>('GET', (user) => list(user) + queryString(query));

  return {
    /** Who the token says the caller is. */
    me: () => call<Me>('GET', () => '/api/me'),
    list: listPage,
    /** Every task matching the query, page by page. */
    async *iterate(query: Omit<ListTasksQuery, 'cursor'> = {}): AsyncGenerator<Task> {
      let cursor: string | undefined;
      do {
        const page = await listPage({ ...query, cursor });
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    /**
     * What changed since `since` (a `next` of an earlier sync; none: every current task), every
     * page to the end. Apply `changes` in order (a task as it is now, or `{ deleted: id }`) and
     * keep `next` for the following sync. Each task comes once, in its latest state. A token
     * older than the API keeps changes throws SyncExpiredError: sync again without one.
     */
    async sync(since?: string): Promise<TaskSync> {
      // By task id: a task changed between two pages keeps only its latest change, at its place
      // in the order.
      const changes = new Map<string, TaskChange>();
      let token = since;
      for (;;) {
        const page = await call<TaskSyncPage>(
          'GET',
          (user) => `${list(user)}/changes${queryString({ since: token, limit: SYNC_PAGE_SIZE })}`,
        );
        for (const change of page.changes) {
          const id = 'task' in change ? change.task.id : change.deleted;
          changes.delete(id);
          changes.set(id, change);
        }
        token = page.next;
        if (!page.more) return { changes: [...changes.values()], next: token };
      }
    },
    /** Creates a task; a fresh Idempotency-Key makes the client's own retry safe. */
    create: (body: CreateTaskBody) =>
      call<Task>('POST', list, body, { 'Idempotency-Key': crypto.randomUUID() }),
    get: (id: string) => call<Task>('GET', task(id)),
    /**
     * The edits take a task as read (then a change made meanwhile elsewhere is not overwritten:
     * TaskChangedError) or just its id (the edit applies to whatever the task is now).
     */
    replace: (ref: TaskRef, body: ReplaceTaskBody) => {
      const { id, headers } = target(ref);
      return call<Task>('PUT', task(id), body, headers);
    },
    update: (ref: TaskRef, body: UpdateTaskBody) => {
      const { id, headers } = target(ref);
      return call<Task>('PATCH', task(id), body, headers);
    },
    toggleComplete: (ref: TaskRef) => {
      const { id, headers } = target(ref);
      return call<Task>('PATCH', (user) => `${task(id)(user)}/complete`, undefined, headers);
    },
    remove: (ref: TaskRef) => {
      const { id, headers } = target(ref);
      return call<void>('DELETE', task(id), undefined, headers);
    },
    /**
     * Follows the caller's task changes live, across devices and instances: `onChange` gets each
     * change (as `sync` gives them) and the sync token after it, in order. Reconnects by itself
     * (Last-Event-ID: nothing missed; backoff after failures; a fresh token before the old one
     * expires). Resolves once `options.signal` aborts. See WatchOptions for `since` and `onResync`.
     */
    watch: (
      onChange: (change: TaskChange, token: string) => void,
      watchOptions: WatchOptions = {},
    ) =>
      watchTasks(
        { baseUrl, tokens, http, refreshMarginMs: options.refreshMarginMs ?? 30_000, problemOf },
        onChange,
        watchOptions,
      ),
    /** Seeds the token cache, e.g. with the `set-auth-jwt` header from Better Auth's getSession. */
    useToken: (token: string | null) => tokens.store(token),
    /** Forgets the cached token; call it when the user signs out. */
    signOut: () => tokens.clear(),
  };
}

export type TasksClient = ReturnType<typeof createTasksClient>;

function betterAuthToken(authUrl: string, http: typeof fetch): TokenSource {
  return async () => {
    let response: Response;
    try {
      response = await http(`${authUrl}/api/auth/token`, { credentials: 'include' });
    } catch (error) {
      throw new NetworkError(error);
    }
    if (response.status === 401) return null;
    if (!response.ok) throw apiErrorFor(await problemOf(response));
    const { token } = (await response.json()) as { token?: unknown };
    return typeof token === 'string' ? token : null;
  };
}

async function requireToken(pending: Promise<string | null>): Promise<string> {
  const token = await pending;
  if (token) return token;
  throw new UnauthorizedError({
    type: '/problems/unauthorized',
    title: 'Not signed in',
    status: 401,
    detail: 'Sign in to continue.',
  });
}

function userIdOf(token: string): string {
  return encodeURIComponent(readClaims(token).sub ?? '');
}

/** What a list query parameter may be: repeated parameters are arrays. */
type QueryParameter = string | number | boolean | readonly (string | number | boolean)[];

/**
 * The query string of a list request: an array becomes one parameter per item
 * (`?tag=a&tag=b`, an empty array none), a boolean `true` or `false`; undefined and null are left
 * out. Keys keep the order they were given in.
 */
function queryString(query: Readonly<Record<string, QueryParameter | null | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value) ? value : [value];
    for (const item of values) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function problemOf(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    detail: `The Task API answered ${response.status}.`,
  };
  try {
    const body = (await response.json()) as Partial<ProblemDetails>;
    return typeof body.detail === 'string'
      ? { ...fallback, ...body, status: response.status }
      : fallback;
  } catch {
    return fallback;
  }
}
