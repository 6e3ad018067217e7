import { IN_MEMORY, POSTGRES, SQLITE } from '../support/worlds.js';
import { concurrentWritesSuite } from './suites/concurrent-writes.suite.js';

// Real parallel requests: PostgreSQL runs them at once, SQLite serialises its writers, and the
// in-memory adapter must keep the same promise.
concurrentWritesSuite(POSTGRES);
concurrentWritesSuite(SQLITE);
concurrentWritesSuite(IN_MEMORY);
