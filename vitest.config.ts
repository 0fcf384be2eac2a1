import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core (vitest's default leaves one core idle: on 2 cores, one file at a
    // time). Many files wait on child processes and writer threads: on 2 cores the suite took
    // 467 s two files at a time against 536 s one at a time (2026-12-04, 305 and 291 files).
    maxWorkers: availableParallelism(),
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
