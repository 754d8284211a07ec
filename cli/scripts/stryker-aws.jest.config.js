/**
 * The jest configuration Stryker runs `verify aws` and shared `verify` mutants with (npm run
 * mutate:aws): the root one, limited to the in-process tests of those files. Left out: the RGW and
 * truth tiers and every test that starts a child process (they record no per-test coverage of the
 * mutated code and would restart their servers for every mutant), and the global setup (it builds
 * the AWS handler, which these tests do not use).
 */
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: require('path').join(__dirname, '..', '..'),
  roots: ['<rootDir>/cli/test'],
  // STRYKER_AWS_TESTS (comma-separated file names) narrows the run to some of these, for a run over some of the files.
  testMatch: process.env.STRYKER_AWS_TESTS ? process.env.STRYKER_AWS_TESTS.split(',').map((file) => `**/${file}`) : [
    '**/verify/aws/checks.test.ts', '**/verify/aws/cors.test.ts', '**/verify/aws/findings.test.ts', '**/verify/aws/policy.test.ts',
    '**/verify/aws/public-access-block.test.ts', '**/verify/aws/org-policies.test.ts', '**/verify/aws/fetch.test.ts', '**/verify/aws/sdk-edge.test.ts',
    '**/verify/aws-args.test.ts', '**/verify/report.test.ts', '**/verify/gcs-checks.test.ts', '**/verify/azure-checks.test.ts',
    '**/verify/gcs-rest.test.ts', '**/verify/azure-edge.test.ts', '**/docs.test.ts',
  ],
  globalSetup: undefined,
  globalTeardown: undefined,
  cacheDirectory: '<rootDir>/.jest-cache/stryker-aws',
};
