/**
 * What a span may carry: names and outcomes chosen by the code (`memo: 'hit'`), never a request's
 * data (a user id, an email, a task's text, a token), so a trace can go to any collector.
 */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** The span a piece of work runs in: it may note more outcomes as it learns them. */
export interface SpanNotes {
  note(attributes: SpanAttributes): void;
}

/**
 * Where a piece of work is timed as a span of the current trace (OpenTelemetry when tracing is
 * configured). `inSpan` runs `work` inside a child of whatever span is current, ends it when the
 * work settles, marks it failed when it throws, and returns or rethrows the work's own outcome.
 * With no recorded span current (a request not sampled, work outside a request) it just runs it.
 */
export interface Tracer {
  inSpan<T>(name: string, work: (span: SpanNotes) => Promise<T>): Promise<T>;
}

const NO_NOTES: SpanNotes = { note: () => undefined };

/** Traces nothing: the default, so that tests and untraced services need no tracer. */
export const NO_TRACER: Tracer = { inSpan: (_name, work) => work(NO_NOTES) };
