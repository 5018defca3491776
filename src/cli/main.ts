import { processConsole } from './io.js';
import { runCli } from './run.js';

// The only place that touches process state (with `processConsole`): everything else is testable as runCli().
process.exitCode = await runCli(process.argv.slice(2), processConsole);
