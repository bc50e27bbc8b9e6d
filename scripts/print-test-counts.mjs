// Prints vitest's own totals from its JSON report as the plain closing line CI reads.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`no test report at ${path}: ${error.message}`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(0);
}
const failed =
  report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
console.log(`tests: ${report.numPassedTests} passed, ${failed} failed`);
