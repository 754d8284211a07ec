/**
 * The jest configuration Stryker runs `verify gcs` / `verify azure` mutants with: the root one,
 * limited to their in-process tests (gcs-edge's child process and the Azurite tiers record no per-test
 * coverage for the mutated code, and would restart their servers for every mutant), without the
 * global setup (it builds the AWS handler, which these tests do not use).
 */
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: require('path').join(__dirname, '..', '..'),
  roots: ['<rootDir>/cli/test'],
  testMatch: [
    '**/verify/gcs-checks.test.ts', '**/verify/azure-checks.test.ts', '**/verify/azure-edge.test.ts', '**/verify/gcs-rest.test.ts',
    '**/verify/gcs-cors-documented.test.ts', '**/verify/gcs-azure-docs.test.ts',
  ],
  globalSetup: undefined,
  globalTeardown: undefined,
  cacheDirectory: '<rootDir>/.jest-cache/stryker',
};
