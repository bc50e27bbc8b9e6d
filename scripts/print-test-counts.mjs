// Prints vitest's own totals from its JSON report(s) as the plain closing line CI reads; with
// several reports (scripts/test.sh runs the hardening tests in a pass of their own) it adds them up.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const path of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`no test report at ${path}: ${error.message}`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
