import type { ReadinessProbe } from './readiness-probe.port.js';

export class CheckReadinessUseCase {
  constructor(private readonly probe: ReadinessProbe) {}

  async execute(): Promise<{ ready: boolean }> {
    return { ready: await this.probe.isReady() };
  }
}
