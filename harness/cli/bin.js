#!/usr/bin/env node
// Entry point of the `patternbench` command. `run` goes to a child process with a young generation
// sized for its clock (harness/cli/launcher.js); everything else, and the child, loads the TypeScript
// CLI through tsx here — or, for the commands that only read and write files, its build in .build/
// while that is the build of the sources as they are (harness/cli/compiled.js).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exitWithLauncher, heapFlags, launch } from './launcher.js';
import { compiledMain } from './compiled.js';

/** Commands that run the simulator (worker threads that load TypeScript, the user's TypeScript scorers): always from the sources. */
const SIMULATING = new Set(['run', 'sweep', 'advise', 'claims']);

// `patternbench schema | head -1`: the reader left; stop quietly instead of dying of EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const argv = process.argv.slice(2);
const flags = heapFlags(argv, process.execArgv, process.env);
if (flags !== null) {
  launch(fileURLToPath(import.meta.url), argv, flags);
} else {
  exitWithLauncher();
  const compiled = SIMULATING.has(argv[0] ?? '') ? null : compiledMain();
  let main;
  if (compiled !== null) {
    ({ main } = await import(pathToFileURL(compiled).href));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('./main.ts'));
  }
  const code = await main(argv);
  // The command is done (its files closed, its output written: on Linux, writes to files, pipes
  // and terminals are synchronous). Exit now, so that nothing left behind by a failure — a writer
  // thread, an exporter's socket — can keep the process waiting forever.
  process.exit(code);
}
