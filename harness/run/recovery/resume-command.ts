/** The command that resumes an interrupted `patternbench run`, printed when it stops. */

/** Flags that name or replace the results file: `--resume <db>` takes their place. */
const FILE_FLAGS_WITH_VALUE = new Set(['--db', '--resume']);
const FILE_FLAGS = new Set(['--overwrite']);

/** `arg` quoted for a POSIX shell when it needs it. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * `patternbench run … --resume <db>`: the command line `argv` (as given, without node and the
 * script) with `--db`, `--overwrite` and any `--resume` replaced by `--resume <dbPath>`.
 */
export function resumeCommandLine(argv: readonly string[], dbPath: string): string {
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const flag = arg.split('=', 1)[0] as string;
    if (FILE_FLAGS.has(arg)) continue;
    if (FILE_FLAGS_WITH_VALUE.has(flag)) {
      if (flag === arg) index++; // `--db path`: skip the value too
      continue;
    }
    kept.push(arg);
  }
  return ['patternbench', ...kept, '--resume', dbPath].map(shellQuote).join(' ');
}
