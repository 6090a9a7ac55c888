const path = require('node:path');

// Ends every run with its ten slowest test files, then the one plain line CI reads (the last):
// `N passed, N failed`.
class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const slowest = results.testResults
      .map((r) => ({ file: path.relative(this.rootDir, r.testFilePath), seconds: r.perfStats.runtime / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 10)
      .map(({ file, seconds }) => `${seconds.toFixed(1).padStart(7)} s  ${file}\n`);
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\nslowest test files:\n${slowest.join('')}\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
