import { defineConfig } from 'vitest/config';

// One run covers every lane: unit tests beside the code (x.test.ts), slow ones (*.slow.test.ts),
// end-to-end tests under test/ (CLI, server in-process, browser). CI runs them all.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
