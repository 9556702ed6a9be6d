// Adds up the runners' JSON reports into one closing line: "tests: N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.test-output';
// Every runner scripts/test.sh starts writes one of these; a missing one means a step never reported.
const EXPECTED = ['vitest-pglite.json', 'vitest-postgres.json', 'vitest-multi-instance.json', 'playwright.json'];
const missing = EXPECTED.filter((file) => !fs.existsSync(path.join(dir, file)));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  if ('numPassedTests' in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  } else if (report.stats) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
    console.log(`${file}: ${report.stats.expected + report.stats.flaky} passed, ${report.stats.unexpected} failed`);
  }
}
if (missing.length > 0) console.log(`missing reports: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 || missing.length > 0 ? 1 : 0);
