// Prints "N passed, N failed" from a vitest JSON report, so CI sees the counts in plain text.
// A test file that fails to load has no failed tests but a failed suite: it counts as a failure.
// Exits 1 when anything failed, the report is missing, or no test ran.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tools/vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.error(`no test report at ${file}: the test run did not complete`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const brokenSuites = (report.testResults ?? []).filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.every((t) => t.status !== 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenSuites;
console.log(`${passed} passed, ${failed} failed`);
process.exit(passed > 0 && failed === 0 ? 0 : 1);
