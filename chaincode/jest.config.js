/** Unit tests beside the code; ts-jest compiles with the package's own tsconfig (type errors fail the test). */
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
