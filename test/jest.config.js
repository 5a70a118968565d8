/**
 * System tests: one real network and one real gateway for the whole run (global set-up), suites run
 * one at a time in a fixed order — end-to-end, browser, then the network and fault tests that stop
 * and restart nodes.
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/{e2e,browser,network,organisations}/**/*.test.ts'],
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  testSequencer: '<rootDir>/support/sequencer.js',
  moduleNameMapper: {
    '^@drugtrace/chaincode/domain$': '<rootDir>/../chaincode/src/domain/index.ts',
    '^@drugtrace/chaincode/api$': '<rootDir>/../chaincode/src/api/index.ts',
  },
  // TS151002: ts-jest's advice for module node16 without isolatedModules; we keep full type-checking.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: 180000,
  maxWorkers: 1,
};
