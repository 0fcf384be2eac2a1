import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that change what the process shares: instrumentations that patch the `openai` module
 * and set OpenTelemetry's global context manager (test/support/instrumented-chain.ts), environment
 * variables, the working directory. Each runs in a process of its own.
 */
const ISOLATED = [
  'test/import-real-*.test.ts',
  'test/import-http-attempts.test.ts',
  'test/calibrate-hidden-retries-warned.test.ts',
  'test/otlp-sink-environment.test.ts',
  'test/shard-from-env-errors.test.ts',
  'test/http-agent-mixed-run.test.ts',
  'test/replay-http-agent.test.ts',
  'test/cli-run-keeps-previous-results.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core (vitest's default leaves one core idle: on 2 cores, one file at a
    // time). Many files wait on child processes and writer threads: on 2 cores the suite took
    // 467 s two files at a time against 536 s one at a time (2026-12-04, 305 and 291 files).
    maxWorkers: availableParallelism(),
    // Environment variables a test stubs are restored after it.
    unstubEnvs: true,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      // The rest share each worker's module cache: our modules keep no module-level state, and
      // importing the harness afresh for each of ~330 files cost ~1.2 s a file, 40 % of the suite's
      // worker time (2026-12-05: 540 s isolated, 309 s shared, on 2 cores).
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false } },
    ],
  },
});
