import type { IdGenerator } from '../../src/application/shared/id-generator.port.js';

/** UUIDs 00000000-0000-4000-8000-000000000001, …002, …: predictable and sortable. */
export class SequentialIdGenerator implements IdGenerator {
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `00000000-0000-4000-8000-${this.counter.toString().padStart(12, '0')}`;
  }
}
