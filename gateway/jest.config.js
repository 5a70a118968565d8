/** Unit tests beside the code. The chaincode's domain module is mapped to its sources so no build is needed. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  moduleNameMapper: { '^@drugtrace/chaincode/domain$': '<rootDir>/../chaincode/src/domain/index.ts' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.check.json' }] },
};
