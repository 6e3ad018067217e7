import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { eventually } from './waiting.js';

/** A Server-Sent Events stream read in a test: every event, comment and retry as they come. */
export interface OpenStream {
  readonly status: number;
  readonly headers: Headers;
  /** The answer's body when it is not a stream (a problem). */
  readonly problem: Record<string, unknown> | null;
  readonly events: EventSourceMessage[];
  readonly comments: string[];
  readonly retries: number[];
  /** Resolves when the server has ended the stream. */
  readonly ended: Promise<void>;
  /** Waits until an event of this kind has come (and answers it). */
  next(event: string, timeoutMs?: number): Promise<EventSourceMessage>;
  close(): void;
}

/** GET the events of `userId` with `token`, resuming after `lastEventId` or `since` if given. */
export async function openStream(
  baseUrl: string,
  userId: string,
  token: string,
  options: { lastEventId?: string; since?: string } = {},
): Promise<OpenStream> {
  const abort = new AbortController();
  const url = new URL(`/api/${userId}/tasks/events`, baseUrl);
  if (options.since) url.searchParams.set('since', options.since);
  const res = await fetch(url, {
    headers: {
      Accept: 'text/event-stream',
      Authorization: `Bearer ${token}`,
      ...(options.lastEventId ? { 'Last-Event-ID': options.lastEventId } : {}),
    },
    signal: abort.signal,
  });
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const problem = (await res.json()) as Record<string, unknown>;
    return {
      status: res.status,
      headers: res.headers,
      problem,
      events,
      comments,
      retries,
      ended: Promise.resolve(),
      next: () => Promise.reject(new Error(`no stream: ${res.status}`)),
      close: () => undefined,
    };
  }
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onComment: (comment) => comments.push(comment.trim()),
    onRetry: (ms) => retries.push(ms),
  });
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } catch {
      // Closed by the test.
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    problem: null,
    events,
    comments,
    retries,
    ended,
    async next(event, timeoutMs = 5_000) {
      let found: EventSourceMessage | undefined;
      await eventually(async () => {
        found = events.find((each) => each.event === event);
        if (!found) throw new Error(`no "${event}" event yet; got ${JSON.stringify(events)}`);
      }, timeoutMs);
      return found as EventSourceMessage;
    },
    close: () => abort.abort(),
  };
}

/** The data of an event, parsed. */
export function dataOf<T = Record<string, unknown>>(event: EventSourceMessage): T {
  return JSON.parse(event.data) as T;
}
