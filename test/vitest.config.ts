import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // CLI tests spawn node processes and the machine has two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
