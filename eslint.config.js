// Lint rules. The one that matters most: ambient time and randomness (Date.now, Math.random,
// setTimeout, performance.now, …) only in the clock and RNG modules, so every run is reproducible.
import tseslint from 'typescript-eslint';

const AMBIENT_TIME = 'Results must be reproducible: use the run\'s Clock (harness/kernel/clock.ts) or seeded RNG (harness/kernel/rng.ts).';

/** Files allowed to touch ambient time and randomness. */
export const CLOCK_AND_RNG_FILES = ['harness/kernel/*clock*.ts', 'harness/kernel/*rng*.ts', 'harness/**/*random*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'coverage/**', '.build/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: AMBIENT_TIME },
        { object: 'Math', property: 'random', message: AMBIENT_TIME },
        { object: 'performance', property: 'now', message: AMBIENT_TIME },
        { object: 'globalThis', property: 'setTimeout', message: AMBIENT_TIME },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: AMBIENT_TIME },
        { name: 'setInterval', message: AMBIENT_TIME },
        { name: 'setImmediate', message: AMBIENT_TIME },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: AMBIENT_TIME },
      ],
      'no-debugger': 'error',
      'no-duplicate-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: CLOCK_AND_RNG_FILES,
    rules: { 'no-restricted-properties': 'off', 'no-restricted-globals': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Tests and benchmarks may measure wall time and use real timers around the system under test.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-globals': 'off', 'no-restricted-syntax': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
