import { POSTGRES } from '../support/worlds.js';
import { conditionalRequestsSuite } from './suites/conditional-requests.suite.js';
import { errorsSuite } from './suites/errors.suite.js';
import { idempotencySuite } from './suites/idempotency.suite.js';
import { isolationSuite } from './suites/isolation.suite.js';
import { refusedTokensSuite } from './suites/refused-tokens.suite.js';
import { taskFlowSuite } from './suites/task-flow.suite.js';
import { organizingSuite } from './suites/organizing.suite.js';
import { taskLimitSuite } from './suites/task-limit.suite.js';
import { syncSuite } from './suites/sync.suite.js';

// The same HTTP contract on the real composition: PostgreSQL, Better Auth, jose.
taskFlowSuite(POSTGRES);
isolationSuite(POSTGRES);
errorsSuite(POSTGRES);
refusedTokensSuite(POSTGRES);
conditionalRequestsSuite(POSTGRES);
taskLimitSuite(POSTGRES);
idempotencySuite(POSTGRES);
organizingSuite(POSTGRES);
syncSuite(POSTGRES);
