import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep file parallelism modest, PGlite instances are memory- and CPU-hungry.
    maxWorkers: 2,
  },
});
