import type { IncomingHttpHeaders } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Span,
  type Tracer as OtelTracer,
} from '@opentelemetry/api';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanNotes, Tracer } from '../../application/shared/tracer.port.js';
import { withoutValues } from './statement-text.js';

/** How a request's server span ends (the HTTP layer's RequestTracer, matched by shape). */
interface ServerSpanEnd {
  readonly name: string;
  readonly route: string;
  readonly status: number;
}

/** What the service traces with once tracing has started. */
export interface OpenTelemetryTracing {
  /** For the adapters' and Better Auth's spans. */
  readonly tracer: Tracer;
  /** One server span per request (the HTTP layer's RequestTracer). */
  readonly requests: {
    traceRequest<T>(
      headers: IncomingHttpHeaders,
      method: string,
      work: (end: (how: ServerSpanEnd) => void) => Promise<T>,
    ): Promise<T>;
  };
  /** The current span's ids, for every log line (a pino mixin); nothing outside a span. */
  logFields(): { trace_id?: string; span_id?: string };
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

const SERVICE_NAME = 'better-auth-task-api';

/**
 * Starts OpenTelemetry's Node SDK, configured by the standard OTEL_* variables (exporter,
 * endpoint, protocol, sampler, batch delays): traces only, no metrics or logs. PostgreSQL queries
 * become spans (statement text with every value taken out) only inside a request's trace.
 * Imported dynamically by main.ts when tracing is configured, so an untraced service loads none
 * of OpenTelemetry.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): OpenTelemetryTracing {
  const named =
    Boolean(env.OTEL_SERVICE_NAME) ||
    /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    serviceName: named ? undefined : SERVICE_NAME,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new PgInstrumentation({
        // Background work (revocation polls, purges) is not a request: no trace of its own.
        requireParentSpan: true,
        // The default, said out loud: values bound to a statement never enter a span.
        enhancedDatabaseReporting: false,
        // Nor those MikroORM writes into the text itself (a title, a user id).
        requestHook: (span, { query }) => {
          if (span.isRecording()) span.setAttribute('db.query.text', withoutValues(query.text));
        },
      }),
    ],
  });
  sdk.start();
  const tracer = trace.getTracer(SERVICE_NAME);
  return {
    tracer: new OpenTelemetryTracer(tracer),
    requests: {
      traceRequest: (headers, method, work) => {
        // The caller's traceparent (W3C; the propagators OTEL_PROPAGATORS names).
        const parent = propagation.extract(ROOT_CONTEXT, headers);
        const span = tracer.startSpan(
          method,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
          parent,
        );
        return context.with(trace.setSpan(parent, span), () =>
          work(({ name, route, status }) => {
            span.updateName(name);
            span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
            if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          }),
        );
      },
    },
    logFields: () => {
      const span = trace.getSpan(context.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    shutdown: () => sdk.shutdown(),
  };
}

/** The Tracer port on OpenTelemetry: a child of the current span, the current one while it runs. */
class OpenTelemetryTracer implements Tracer {
  constructor(private readonly tracer: OtelTracer) {}

  inSpan<T>(name: string, work: (span: SpanNotes) => Promise<T>): Promise<T> {
    // Outside a recorded trace (a request not sampled, work outside any request) there is nothing
    // to add a child to: the work runs as it is, at no cost.
    if (!trace.getSpan(context.active())?.isRecording()) return work(NO_NOTES);
    return this.tracer.startActiveSpan(name, async (span) => {
      try {
        return await work(notesOf(span));
      } catch (error) {
        // The error's class only: a message may quote what the request sent.
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', error instanceof Error ? error.name : 'unknown');
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

const NO_NOTES: SpanNotes = { note: () => undefined };

function notesOf(span: Span): SpanNotes {
  return { note: (attributes) => span.setAttributes(attributes) };
}
