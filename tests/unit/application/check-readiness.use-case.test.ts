import { describe, it, expect } from '@jest/globals';
import { CheckReadinessUseCase } from '../../../src/application/shared/check-readiness.use-case.js';
import type { ReadinessProbe } from '../../../src/application/shared/readiness-probe.port.js';

/** A probe whose answer the test sets. */
class SwitchableProbe implements ReadinessProbe {
  constructor(public ready: boolean) {}

  async isReady(): Promise<boolean> {
    return this.ready;
  }
}

describe('CheckReadinessUseCase', () => {
  it('is ready when the probe says so', async () => {
    await expect(new CheckReadinessUseCase(new SwitchableProbe(true)).execute()).resolves.toEqual({
      ready: true,
    });
  });

  it('is not ready when the probe says not', async () => {
    await expect(new CheckReadinessUseCase(new SwitchableProbe(false)).execute()).resolves.toEqual({
      ready: false,
    });
  });

  it('asks the probe afresh every time', async () => {
    const probe = new SwitchableProbe(true);
    const checkReadiness = new CheckReadinessUseCase(probe);

    await expect(checkReadiness.execute()).resolves.toEqual({ ready: true });
    probe.ready = false;
    await expect(checkReadiness.execute()).resolves.toEqual({ ready: false });
    probe.ready = true;
    await expect(checkReadiness.execute()).resolves.toEqual({ ready: true });
  });
});
