import { SQLITE } from '../support/worlds.js';
import { idempotencySuite } from './suites/idempotency.suite.js';
import { taskFlowSuite } from './suites/task-flow.suite.js';
import { organizingSuite } from './suites/organizing.suite.js';
import { taskLimitSuite } from './suites/task-limit.suite.js';
import { syncSuite } from './suites/sync.suite.js';

// The task flow on the embedded default a first run uses: SQLite, Better Auth, jose.
taskFlowSuite(SQLITE);
taskLimitSuite(SQLITE);
idempotencySuite(SQLITE);
organizingSuite(SQLITE);
syncSuite(SQLITE);
