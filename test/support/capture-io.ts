import type { CliIo } from '../../harness/cli/progress.ts';

/** A CLI io that records what the command prints. */
export function captureIo(): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text), interactive: false };
}
