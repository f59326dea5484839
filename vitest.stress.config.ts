import { defineConfig } from 'vitest/config';

// `npm run test:stress`: long fuzz, crash and load runs, kept out of `npm test` (which stays a few
// minutes). CI runs both. Each file owns its processes, servers and databases.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    // One file at a time: crash and load runs measure the machine; two at once would disturb both.
    fileParallelism: false,
    passWithNoTests: true,
  },
});
