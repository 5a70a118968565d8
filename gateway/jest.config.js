/** Unit tests beside the code, app-level helpers in test/. The chaincode's domain and API modules are mapped to their sources. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  // PostgreSQL for the tests of the PostgreSQL database (test-network-scripts/postgres.sh).
  globalSetup: '<rootDir>/test/postgres-setup.ts',
  globalTeardown: '<rootDir>/test/postgres-teardown.ts',
  moduleNameMapper: {
    '^@drugtrace/chaincode/domain$': '<rootDir>/../chaincode/src/domain/index.ts',
    '^@drugtrace/chaincode/replica$': '<rootDir>/../chaincode/src/replica/index.ts',
    '^@drugtrace/chaincode/api$': '<rootDir>/../chaincode/src/api/index.ts',
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: '<rootDir>/tsconfig.check.json', diagnostics: { ignoreCodes: [151002] } },
    ],
    // jose is published as ES modules only; Node requires those natively, Jest's loader needs them as CommonJS.
    '/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
