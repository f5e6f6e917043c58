// Jest: ts-jest over tests/, which mirrors the source tree.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    // office-addin-mock imports office-addin-manifest, whose ESM build jest cannot load; the mock never uses it.
    '^office-addin-manifest$': '<rootDir>/tests/support/office-addin-manifest-stub.js',
  },
  // One Azurite for the whole run (tests/support/azurite.ts explains how test files share it).
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
