/** Answers whether the service can do its work right now (its database answers). */
export interface ReadinessProbe {
  isReady(): Promise<boolean>;
}
