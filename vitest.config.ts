import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Long fuzz/crash/load runs are `npm run test:stress` (vitest.stress.config.ts), not `npm test`.
    exclude: [...configDefaults.exclude, 'test/stress/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own process: PGlite instances and fake servers never share state.
    pool: 'forks',
  },
});
