/** The metrics in Prometheus's text format, as a registry renders them. */
export interface MetricsExposition {
  /** The Content-Type of the text (the exposition format's version). */
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Where the metrics are served: GET /metrics, and nothing else. */
export const METRICS_PATH = '/metrics';
