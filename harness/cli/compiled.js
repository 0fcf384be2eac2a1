// The CLI compiled to JavaScript ahead of time, for the commands that read results files (`report`,
// `summary`, `compare`, `merge`, …): loading the TypeScript sources through tsx costs ~0.2–0.3 s at
// every start (its loader thread resolves and transforms each module), a third of `report` on the
// shipped suite's file. `npm install` builds it (`prepare`: `node harness/cli/compiled.js`) into
// `.build/`, and bin.js uses it only while it is the build of the sources as they are (a stamp of
// every source file's path, size and modification time): after an edit it falls back to tsx, so
// the compiled tree is never stale; `npm run build` refreshes it.
//
// Plain JavaScript: it runs before any TypeScript loader is registered.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root (this file is harness/cli/compiled.js). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the compiled tree goes (git-ignored). */
export const BUILD_DIR = join(ROOT, '.build');
/** The folders compiled; the JavaScript and JSON files in them are copied beside the output. */
const SOURCE_DIRS = ['harness', 'patterns', 'reports'];

/** Every file under the source folders of `root`, relative to it, sorted. */
function sourceFiles(root = ROOT) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|json)$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  // Read beside the code: the scenario JSON Schema (`schema --check`) and the version.
  files.push('package.json', join('scenarios', 'scenario.schema.json'));
  return files.sort();
}

/** The stamp of the sources of `root` (default: this project) as they are: each file's path, size and modification time. */
export function sourceStamp(root = ROOT) {
  const hash = createHash('sha256');
  for (const file of sourceFiles(root)) {
    const stats = statSync(join(root, file));
    hash.update(`${file}\0${stats.size}\0${Math.trunc(stats.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}

/** The compiled CLI's entry module, when `buildDir` holds the build of the sources of `root` as they are; else null. */
export function compiledMain(buildDir = BUILD_DIR, root = ROOT) {
  try {
    if (readFileSync(join(buildDir, 'stamp'), 'utf8') !== sourceStamp(root)) return null;
  } catch {
    return null;
  }
  return join(buildDir, 'harness', 'cli', 'main.js');
}

/**
 * Compiles the sources into `buildDir` (default `.build/`) with the project's TypeScript (no type check: `npm run lint`
 * does that), copies their JavaScript and JSON files beside the output, and writes the stamp last,
 * so that an interrupted build is never taken for a whole one.
 */
export function buildCompiled(buildDir = BUILD_DIR) {
  rmSync(buildDir, { recursive: true, force: true });
  const stamp = sourceStamp();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', buildDir], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  for (const file of sourceFiles()) {
    if (file.endsWith('.ts')) continue;
    const target = join(buildDir, file);
    mkdirSync(dirname(target), { recursive: true });
    if (!existsSync(target)) copyFileSync(join(ROOT, file), target);
  }
  writeFileSync(join(buildDir, 'stamp'), stamp);
  return relative(ROOT, buildDir);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const where = buildCompiled();
    process.stdout.write(`patternbench: compiled the CLI into ${where}/ (used while the sources are unchanged)\n`);
  } catch (error) {
    // Never fails an install: without the build the CLI loads its TypeScript through tsx.
    process.stderr.write(`patternbench: could not compile the CLI (${error instanceof Error ? error.message : String(error)}); it will load its TypeScript sources instead\n`);
  }
}
