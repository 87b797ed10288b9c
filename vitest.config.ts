import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{app,modules,sdk,cli,genesis}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['app/polyfill.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
