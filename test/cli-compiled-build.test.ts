/**
 * The CLI compiled ahead of time (harness/cli/compiled.js, what `npm install` builds into .build/)
 * prints and writes exactly what the TypeScript sources do, and is used only while it is the
 * build of the sources as they are.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript without declarations (it runs before any TypeScript loader).
import { buildCompiled, compiledMain, sourceStamp } from '../harness/cli/compiled.js';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const ROOT = new URL('..', import.meta.url).pathname;
// Inside the project, so that the compiled modules find its node_modules.
const BUILD = join(ROOT, 'node_modules', '.cache', `patternbench-compiled-test-${process.pid}`);
const work = mkdtempSync(join(tmpdir(), 'patternbench-compiled-'));
const scenario = join(ROOT, 'scenarios', 'legal-review.yaml');
const db = join(work, 'results.db');

/** Runs the compiled CLI's `main(argv)` in a fresh Node process: its exit code and standard output. */
function compiledCli(entry: string, argv: readonly string[]): { code: number; stdout: string } {
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.exitCode = await main(${JSON.stringify(argv)});`;
  try {
    return { code: 0, stdout: execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error: unknown) {
    const failed = error as { status: number; stdout: string; stderr: string };
    throw new Error(`compiled CLI exited ${failed.status}: ${failed.stderr}`);
  }
}

async function sourceCli(argv: readonly string[]): Promise<{ code: number; stdout: string }> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout.map((line) => `${line}\n`).join('') };
}

describe('the compiled CLI', () => {
  let entry: string;

  beforeAll(async () => {
    buildCompiled(BUILD);
    entry = compiledMain(BUILD) as string;
    expect(await sourceCli(['run', scenario, '--cases', '8', '--db', db, '--quiet', '--no-report', '--format', 'json'])).toMatchObject({ code: 0 });
  }, 120_000);

  afterAll(() => rmSync(BUILD, { recursive: true, force: true }));

  it('is taken right after it is built', () => {
    expect(entry).toBe(join(BUILD, 'harness', 'cli', 'main.js'));
  });

  it('prints the same summary and writes the same report as the sources', async () => {
    const fromSources = await sourceCli(['summary', db, '--format', 'json']);
    expect(compiledCli(entry, ['summary', db, '--format', 'json'])).toEqual(fromSources);
    await sourceCli(['report', db, '--out', join(work, 'sources.html')]);
    compiledCli(entry, ['report', db, '--out', join(work, 'compiled.html')]);
    expect(readFileSync(join(work, 'compiled.html'), 'utf8')).toBe(readFileSync(join(work, 'sources.html'), 'utf8'));
  });

  it('validates scenarios and checks the JSON Schema as the sources do (files read beside the code)', async () => {
    expect(compiledCli(entry, ['validate', scenario])).toEqual(await sourceCli(['validate', scenario]));
    expect(compiledCli(entry, ['schema', '--check'])).toEqual(await sourceCli(['schema', '--check']));
  });

  it('is not taken once a source file changes, nor with another stamp', () => {
    // A tree of sources of its own (this project's files are not touched): a stamp of its files as
    // they are is taken; a file edited since (another modification time, another size) is not.
    const root = mkdtempSync(join(tmpdir(), 'patternbench-compiled-sources-'));
    for (const folder of ['harness', 'patterns', 'reports', 'scenarios']) mkdirSync(join(root, folder));
    for (const file of ['harness/a.ts', 'patterns/b.ts', 'reports/c.js', 'package.json', 'scenarios/scenario.schema.json']) writeFileSync(join(root, file), '{}');
    const build = join(root, '.build');
    mkdirSync(build);
    writeFileSync(join(build, 'stamp'), sourceStamp(root));
    expect(compiledMain(build, root)).toBe(join(build, 'harness', 'cli', 'main.js'));
    const edited = join(root, 'harness', 'a.ts');
    utimesSync(edited, new Date(), new Date(statSync(edited).mtimeMs + 2000));
    expect(compiledMain(build, root)).toBeNull();
    writeFileSync(join(build, 'stamp'), sourceStamp(root));
    expect(compiledMain(build, root)).not.toBeNull();
    writeFileSync(edited, 'export {};');
    expect(compiledMain(build, root)).toBeNull();
    writeFileSync(join(BUILD, 'stamp'), 'another build');
    expect(compiledMain(BUILD)).toBeNull();
  });
});
