/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Under Jest's module sandbox a dynamic import() fails, so tests compile it to require();
  // Prisma's client loads its query compiler that way.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10' } }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 120_000,
  // Twice the cores of the machines we run on: most files spend much of their time waiting for a
  // flow's timers (seconds, by per-flow settings), and those waits overlap other files' work.
  maxWorkers: 4,
  reporters: [['default', { summaryThreshold: 0 }], '<rootDir>/test/support/summaryReporter.js'],
};
