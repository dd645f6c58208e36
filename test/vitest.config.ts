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
    // Wide margins: on a busy 2-core machine a test can take many times what it takes on an idle one, and
    // must still pass (no test takes more than ~15 s idle). A test that truly hangs still fails.
    testTimeout: 180_000,
    // beforeAll hooks build shared fixtures (a backtest run reused by several tests).
    hookTimeout: 400_000,
  },
});
