import type { MikroORM } from '@mikro-orm/core';
import type { ReadinessProbe } from '../../../application/shared/readiness-probe.port.js';

/** Ready when the database answers a trivial query within two seconds. */
export class MikroOrmReadinessProbe implements ReadinessProbe {
  constructor(private readonly orm: MikroORM) {}

  async isReady(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), 2_000);
    });
    const check = this.orm.em
      .getConnection()
      .execute('select 1')
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([check, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
