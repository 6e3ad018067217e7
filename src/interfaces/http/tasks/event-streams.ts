import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';
import { InvalidTokenError, SessionEndedError } from '../../../application/auth/auth.errors.js';
import type { AuthenticateUseCase } from '../../../application/auth/authenticate.use-case.js';
import type { OwnTaskList } from '../../../application/tasks/own-task-list.js';
import { SyncExpiredError } from '../../../application/tasks/sync-token.js';
import type { WatchedChange } from '../../../application/tasks/watch-tasks.use-case.js';
import type { UseCases } from '../../../application/use-cases.js';
import { HttpProblem, problem } from '../problem.js';
import { RECONNECT_AFTER_MS, type ShutdownSignal } from '../shutdown.js';

/** How many streams, how often they beat, how much may wait for a slow reader. */
export interface EventStreamSettings {
  /** Streams one user may hold open on this instance (MAX_EVENT_STREAMS_PER_USER). */
  readonly maxPerUser: number;
  /** Streams this instance holds open at most (MAX_EVENT_STREAMS). */
  readonly max: number;
  /** A comment is sent after this long without an event (default 15 s). */
  readonly heartbeatMs?: number;
  /** How often each stream's token is checked again: revoked, expired (default 1 s). */
  readonly checkEveryMs?: number;
  /** A reader with more than this waiting to be sent is closed with `resync` (default 1 MiB). */
  readonly maxQueuedBytes?: number;
}

/** Where the open streams are counted (a metrics adapter). */
export interface EventStreamRecorder {
  eventStreamOpened(): void;
  eventStreamClosed(): void;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_CHECK_EVERY_MS = 1_000;
const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
/** A stream closed for a slow reader that still has not taken its last bytes after this is cut. */
const CUT_AFTER_MS = 5_000;

/** Why a stream ends, and the event that says so (none when the client left). */
export type StreamEnd = 'reauth' | 'revoked' | 'resync' | 'shutdown' | 'gone' | 'unavailable';

/** One open stream: what it writes, and what it needs to be checked. */
export class EventStream {
  private lastWriteAt = Date.now();
  private ended = false;
  private readonly onEnd = new Set<() => void>();

  constructor(
    readonly userId: string,
    private readonly res: ServerResponse,
    private readonly token: string,
    /** The token's `exp` in ms, when it is a JWT; the stream says `reauth` then. */
    private readonly expiresAtMs: number | null,
    private readonly maxQueuedBytes: number,
  ) {}

  get isOpen(): boolean {
    return !this.ended;
  }

  /** An event: its name, its data (JSON), its id when it has one. */
  send(event: string, data: unknown, id?: string): void {
    if (this.ended) return;
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    this.write(`event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`);
    if (this.res.writableLength > this.maxQueuedBytes) this.end('resync');
  }

  /** A line the client ignores, to show the connection alive. */
  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  /** How long the stream has been silent. */
  silentForMs(now: number): number {
    return now - this.lastWriteAt;
  }

  /** Runs when the stream ends, whatever ended it. */
  whenEnded(callback: () => void): void {
    if (this.ended) callback();
    else this.onEnd.add(callback);
  }

  /** Checks the token again: still valid, expired (reauth), revoked, or unverifiable now. */
  async check(authenticate: AuthenticateUseCase, now: number): Promise<void> {
    if (this.ended) return;
    if (this.expiresAtMs !== null && now >= this.expiresAtMs) return this.end('reauth');
    try {
      await authenticate.execute({ token: this.token });
    } catch (error) {
      if (error instanceof SessionEndedError) this.end('revoked');
      else if (error instanceof InvalidTokenError) this.end('reauth');
      else this.end('unavailable');
    }
  }

  /** Ends the stream, with the event that says why (and the delay before a reconnect). */
  end(why: StreamEnd): void {
    if (this.ended) return;
    if (why === 'reauth') this.write('event: reauth\ndata: {}\n\n');
    if (why === 'revoked') this.write('event: revoked\ndata: {}\n\n');
    if (why === 'resync') this.write('event: resync\ndata: {}\n\n');
    // Another instance takes the reconnect; the hint says when to try.
    if (why === 'shutdown' || why === 'unavailable') this.write(`retry: ${RECONNECT_AFTER_MS}\n\n`);
    this.ended = true;
    for (const callback of this.onEnd) callback();
    this.onEnd.clear();
    this.res.end();
    // A reader that does not take what is queued is not waited for.
    if (why === 'resync') {
      const cut = setTimeout(() => this.res.destroy(), CUT_AFTER_MS);
      cut.unref();
      this.res.once('close', () => clearTimeout(cut));
    }
  }

  /** The client went away. */
  closed(): void {
    if (this.ended) return;
    this.ended = true;
    for (const callback of this.onEnd) callback();
    this.onEnd.clear();
  }

  private write(text: string): void {
    if (this.ended) return;
    this.lastWriteAt = Date.now();
    this.res.write(text);
  }
}

/**
 * The event streams open on this instance: their limits (per user, in all), one timer for all of
 * them (heartbeats, and every token checked again each second: an ended session ends its streams
 * within that, an expired token too), and their end at shutdown, with a hint to reconnect.
 */
export class EventStreams {
  private readonly streams = new Set<EventStream>();
  private readonly perUser = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private readonly heartbeatMs: number;
  private readonly checkEveryMs: number;
  readonly maxQueuedBytes: number;

  constructor(
    private readonly settings: EventStreamSettings,
    private readonly authenticate: AuthenticateUseCase,
    shutdown: ShutdownSignal,
    private readonly recorder: EventStreamRecorder | null,
  ) {
    this.heartbeatMs = settings.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.checkEveryMs = settings.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
    this.maxQueuedBytes = settings.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    shutdown.onListenerClosed(() => this.endAll('shutdown'));
  }

  /** How many are open. */
  get size(): number {
    return this.streams.size;
  }

  /** Refuses a stream past a limit: 429 past the user's, 503 past the instance's. */
  admit(userId: string): void {
    if ((this.perUser.get(userId) ?? 0) >= this.settings.maxPerUser) {
      throw new HttpProblem(
        problem(
          'too-many-event-streams',
          `You already have ${this.settings.maxPerUser} event streams open on this instance, the most one user may. Close one (each tab or device needs only one) before opening another.`,
        ),
        { 'Retry-After': '5' },
      );
    }
    if (this.streams.size >= this.settings.max) {
      throw new HttpProblem(
        problem(
          'overloaded',
          'This instance already holds as many event streams as it takes. Retry in a moment (another instance may take it).',
        ),
        { 'Retry-After': '1' },
      );
    }
  }

  /** Counts an open stream until it ends. */
  add(stream: EventStream): void {
    this.admit(stream.userId);
    this.streams.add(stream);
    this.perUser.set(stream.userId, (this.perUser.get(stream.userId) ?? 0) + 1);
    this.recorder?.eventStreamOpened();
    stream.whenEnded(() => {
      this.streams.delete(stream);
      const left = (this.perUser.get(stream.userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(stream.userId, left);
      else this.perUser.delete(stream.userId);
      this.recorder?.eventStreamClosed();
      if (this.streams.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.checkEveryMs);
      this.timer.unref();
    }
  }

  endAll(why: StreamEnd): void {
    for (const stream of [...this.streams]) stream.end(why);
  }

  /** Never two at once: a slow check (a key set being fetched) is not piled up behind. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      const streams = [...this.streams];
      await Promise.all(streams.map((stream) => stream.check(this.authenticate, now)));
      for (const stream of streams) {
        if (stream.isOpen && stream.silentForMs(now) >= this.heartbeatMs)
          stream.comment('keep-alive');
      }
    } finally {
      this.ticking = false;
    }
  }
}

/** The `exp` of a JWT in ms, read without checking it (the token was verified already). */
export function expiryOf(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** What a stream answers before its first event (and every problem a stream never answers). */
const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  // nginx and its kind pass each event on at once instead of buffering the answer.
  'X-Accel-Buffering': 'no',
  // The connection ends with the stream, so that a drain never waits for it to idle.
  Connection: 'close',
} as const;

/**
 * GET /tasks/events: the caller's changes as Server-Sent Events, from `since` (a resume) or from
 * now. `event: ready` first (its id: where the stream starts), then `event: task` (data: the task)
 * and `event: deleted` (data: `{"id"}`), each with `id:` = the sync token after it.
 */
export async function openEventStream(
  ctx: Context,
  {
    useCases,
    streams,
    list,
    since,
    token,
  }: {
    readonly useCases: UseCases;
    readonly streams: EventStreams;
    readonly list: OwnTaskList;
    readonly since: string | null;
    readonly token: string;
  },
): Promise<void> {
  streams.admit(list.ownerId);
  const res = ctx.res;
  const stream = new EventStream(list.ownerId, res, token, expiryOf(token), streams.maxQueuedBytes);
  // Changes read before the answer has started wait for it.
  let early: WatchedChange[] | null = [];
  const send = (changes: readonly WatchedChange[]) => {
    for (const change of changes) {
      if ('task' in change) stream.send('task', change.task, change.token);
      else stream.send('deleted', { id: change.deletedId }, change.token);
    }
  };
  let watch;
  try {
    watch = await useCases.watchTasks.execute({
      list,
      since,
      watcher: {
        deliver: (changes) => (early ? early.push(...changes) : send(changes)),
        fail: () => stream.end('unavailable'),
      },
    });
  } catch (error) {
    if (!(error instanceof SyncExpiredError)) throw error;
    // Too old to resume: the client syncs from scratch (GET /tasks/changes without since).
    start(ctx, res);
    res.end('event: resync\ndata: {}\n\n');
    return;
  }
  try {
    streams.add(stream);
  } catch (error) {
    watch.stop();
    throw error;
  }
  stream.whenEnded(() => watch.stop());
  res.once('close', () => stream.closed());
  // A write to a connection that just broke: the stream is over, nothing to answer.
  res.on('error', () => stream.closed());
  start(ctx, res);
  res.write(`retry: ${RECONNECT_AFTER_MS}\n`);
  stream.send('ready', {}, watch.startedFrom);
  const waiting = early;
  early = null;
  send(waiting);
}

function start(ctx: Context, res: ServerResponse): void {
  // Koa leaves the answer to us; the stream is not an idle socket (it beats), nor compressed.
  ctx.respond = false;
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  res.writeHead(200, STREAM_HEADERS);
}
