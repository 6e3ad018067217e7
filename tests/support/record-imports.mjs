// Loaded with node --import: every module the process imports (ESM resolution) is appended to
// the file IMPORT_LOG names, so a test can say which packages a process loaded.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url);
