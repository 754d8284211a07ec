/**
 * The jest configuration Stryker runs lib/iam mutants with: the root one, limited to the evaluator's
 * own in-process tests (test/iam), without the global setup (it builds the AWS handler, which these
 * tests do not use), and with the generated-case tests at small run counts
 * (scripts/stryker-iam.setup.js) so that each mutant costs seconds.
 */
const root = require('../jest.config.js');

module.exports = {
  ...root,
  rootDir: require('path').join(__dirname, '..'),
  roots: ['<rootDir>/test/iam'],
  testMatch: ['**/*.test.ts'],
  setupFiles: [...(root.setupFiles ?? []), '<rootDir>/scripts/stryker-iam.setup.js'],
  globalSetup: undefined,
  globalTeardown: undefined,
  cacheDirectory: '<rootDir>/.jest-cache/stryker-iam',
};
