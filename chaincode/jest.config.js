/** Unit tests beside the code; ts-jest compiles with the package's own tsconfig (type errors fail the test). */
// fabric-contract-api logs every decorator at info level when the contracts load.
process.env.CORE_CHAINCODE_LOGGING_LEVEL = process.env.CORE_CHAINCODE_LOGGING_LEVEL || 'error';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      // TS151002: ts-jest's advice for module node16 without isolatedModules; we keep full type-checking.
      { tsconfig: '<rootDir>/tsconfig.check.json', diagnostics: { ignoreCodes: ['TS151002'] } },
    ],
  },
};
