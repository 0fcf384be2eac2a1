// The `patternbench` command's launcher (harness/cli/bin.js): `run` starts a child Node process whose
// young generation (V8's semi-space) is sized for the clock the run uses. It is fixed when Node
// starts, so the CLI cannot set it for itself.
//
// Measured on this project's benchmark machine (2 cores, Node 20, BENCHMARKS.md):
// - virtual time: an open load keeps thousands of workflows in flight; their objects outlive the
//   default 16 MiB semi-space, get promoted and die in the old generation. 64 MiB took five
//   simulated minutes at 100 workflows/s from 9.6 s to 7.5 s of wall time (fully recorded).
// - real time (`--realtime`): every scavenge pauses the timers. With 10,000 calls in flight the
//   default size gave ~9 ms scavenges every ~0.6 s (scheduling lag p99 3.8–5.2 ms); 2 MiB makes
//   them short and frequent (p99 1.9–2.5 ms).
//
// Plain JavaScript: it runs before the TypeScript loader is registered, in the parent only.
import { spawn } from 'node:child_process';

/** Set in the child's environment, so that it runs the CLI instead of launching again. */
export const LAUNCHED_ENV = 'PATTERNBENCH_LAUNCHED';

/** Semi-space size (MiB) for runs on virtual time and on the wall clock. */
export const SEMI_SPACE_MIB = { virtual: 64, realtime: 2 };

/**
 * The V8 flags to start the CLI with for `argv` (the command's arguments), or null to run it in
 * this process: commands other than `run`, a process that is itself the launched child, and a
 * young generation the user sized already (`--max-semi-space-size` on the command line or in
 * NODE_OPTIONS) are left alone.
 */
export function heapFlags(argv, execArgv, env) {
  if (argv[0] !== 'run' || env[LAUNCHED_ENV] !== undefined) return null;
  const sized = (text) => text.includes('--max-semi-space-size');
  if (execArgv.some(sized) || sized(env.NODE_OPTIONS ?? '')) return null;
  const mib = argv.includes('--realtime') ? SEMI_SPACE_MIB.realtime : SEMI_SPACE_MIB.virtual;
  return [`--max-semi-space-size=${mib}`];
}

/**
 * Runs `script argv` in a child Node process with `flags` added, and exits as it exits. The child
 * shares the terminal but has its own process group, so Ctrl-C reaches it once, forwarded from
 * here (a second Ctrl-C aborts, as without the launcher); SIGTERM and SIGHUP are forwarded too.
 * Until the child exits, this process only waits (the signal handlers keep it from dying first).
 * Should this process die without forwarding (SIGKILL), the child sees its IPC channel close and
 * kills itself at once (`exitWithLauncher`), so a killed run is as interrupted as without it.
 */
export function launch(script, argv, flags) {
  // On Windows a detached child gets a console of its own; there it shares ours, which delivers
  // Ctrl-C to both processes, so nothing is forwarded.
  const ownGroup = process.platform !== 'win32';
  const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [LAUNCHED_ENV]: '1' },
    detached: ownGroup,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => (ownGroup ? child.kill(signal) : undefined));
  child.on('error', (error) => {
    process.stderr.write(`patternbench: could not start the run: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      // Die of the same signal, so the shell sees what happened to the run.
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(name);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}

/**
 * In a launched child: kill this process as soon as the launcher is gone (its IPC channel closes).
 * A process another program forked with a channel of its own is not touched.
 */
export function exitWithLauncher() {
  if (process.env[LAUNCHED_ENV] === undefined || process.channel === undefined) return;
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  // The channel must not keep the process alive once the CLI is done.
  process.channel.unref();
}
