import { IN_MEMORY } from '../support/worlds.js';
import { conditionalRequestsSuite } from './suites/conditional-requests.suite.js';
import { errorsSuite } from './suites/errors.suite.js';
import { idempotencySuite } from './suites/idempotency.suite.js';
import { isolationSuite } from './suites/isolation.suite.js';
import { refusedTokensSuite } from './suites/refused-tokens.suite.js';
import { taskFlowSuite } from './suites/task-flow.suite.js';
import { organizingSuite } from './suites/organizing.suite.js';
import { taskLimitSuite } from './suites/task-limit.suite.js';
import { syncSuite } from './suites/sync.suite.js';

// The HTTP contract on in-memory adapters: no database, no Better Auth (npm run test:fast).
taskFlowSuite(IN_MEMORY);
isolationSuite(IN_MEMORY);
errorsSuite(IN_MEMORY);
refusedTokensSuite(IN_MEMORY);
conditionalRequestsSuite(IN_MEMORY);
taskLimitSuite(IN_MEMORY);
idempotencySuite(IN_MEMORY);
organizingSuite(IN_MEMORY);
syncSuite(IN_MEMORY);
