#!/usr/bin/env node
// Entry point of the `patternbench` command. `run` goes to a child process with a young generation
// sized for its clock (harness/cli/launcher.js); everything else, and the child, loads the TypeScript
// CLI through tsx here.
import { fileURLToPath } from 'node:url';
import { exitWithLauncher, heapFlags, launch } from './launcher.js';

const argv = process.argv.slice(2);
const flags = heapFlags(argv, process.execArgv, process.env);
if (flags !== null) {
  launch(fileURLToPath(import.meta.url), argv, flags);
} else {
  exitWithLauncher();
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('./main.ts');
  process.exitCode = await main(argv);
}
