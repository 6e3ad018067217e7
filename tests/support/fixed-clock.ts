import type { Clock } from '../../src/application/shared/clock.port.js';

/** A clock that only moves when told to, so tests reproduce. */
export class FixedClock implements Clock {
  private current: Date;

  constructor(start = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }
}
