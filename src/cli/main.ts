import { setFlagsFromString } from 'node:v8';
import { processConsole } from './io.js';
import { runCli } from './run.js';

// A large Polyaxonfile's YAML tree is short-lived garbage hundreds of MB deep: grow the heap by
// 20% per collection instead of V8's default (up to 4x). On Node 20 a 20,000-operation file then
// peaks at 430 MB instead of 556 MB, at about the same speed. Node 24 sizes its young generation
// at startup, out of this call's reach (`node --max-semi-space-size=16` helps there).
setFlagsFromString('--heap-growing-percent=20');

// The only place that touches process state: everything else is testable as runCli().
process.exitCode = await runCli(process.argv.slice(2), processConsole);
