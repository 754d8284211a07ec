/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/cli/test'],
  // The CLI (cli/) imports the constructs package by its name, and gets its root entry from source.
  moduleNameMapper: { '^segments-cloud-constructs$': '<rootDir>/lib/index.ts' },
  testMatch: ['**/*.test.ts'],
  // swc strips types without checking them (`npm test` runs `tsc --noEmit` once first):
  // a CDK test file then loads in about a second instead of 10-20 s with type-checking ts-jest.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  cacheDirectory: '<rootDir>/.jest-cache',
  testTimeout: 60000,
  // Every temp dir the tests write lives under one dir for the run, removed at the end.
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // A test that prints without expecting to fails (aws-cdk-lib prints warnings with stack traces).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/fail-on-stray-output.ts'],
};
