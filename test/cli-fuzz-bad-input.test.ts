// Seeded fuzz of the CLI's input: shipped scenarios mutated at random, and bad flag values. Every
// command must do its job or refuse with one located, human message — never a stack trace, never a
// file left behind on bad input, never a hang (each command has a time limit).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { SeededRng } from '../harness/kernel/rng.ts';
import { captureIo } from './support/capture-io.ts';

const scenarios = new URL('../scenarios/', import.meta.url).pathname;
const shipped = readdirSync(scenarios).filter((name) => name.endsWith('.yaml')).map((name) => join(scenarios, name));
const folder = mkdtempSync(join(tmpdir(), 'patternbench-fuzz-'));
/** No command may take longer than this (a hang fails the test). */
const TIME_LIMIT_MS = 15_000;

/** Values that break things: out of range, overflowing, of the wrong type, aliases, huge. */
const NASTY = [
  '-1', '0', '1e309', '-0.5', 'NaN', '.inf', 'null', '~', '[]', '{}', "''", '"x"', 'true', '*nowhere', '&a', '!!binary AAAA',
  `"${'9'.repeat(400)}ms"`, `"${'9'.repeat(400)}"`, '"1e400s"', '"5 parsecs"', `"${'a'.repeat(5000)}"`, '[1, [2, [3]]]', '{ dist: lognormal }',
  '{ dist: uniform, min: 5, max: 1 }', '"0/s"', '99999999999999999999', '3.5', '"250ms"',
];

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[]): Promise<Outcome> {
  const io = captureIo();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`patternbench ${args.join(' ')} did not end within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
  });
  try {
    const code = await Promise.race([main([...args], io), limit]);
    return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
  } finally {
    clearTimeout(timer);
  }
}

/** The promise kept for every command: exit 0, 1 (failed check) or 2 (bad input, explained and located). */
function expectKept(outcome: Outcome, args: readonly string[], db: string | null): void {
  const where = `patternbench ${args.join(' ').slice(0, 300)}\n${outcome.stderr.slice(0, 2000)}`;
  expect([0, 1, 2], where).toContain(outcome.code);
  expect(outcome.stderr, where).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(outcome.stderr, where).not.toMatch(/TypeError|ReferenceError|RangeError|SqliteError|undefined/);
  if (outcome.code === 2) {
    expect(outcome.stderr.trim().length, where).toBeGreaterThan(0);
    const first = outcome.stderr.split('\n')[0] ?? '';
    // Located (file:line:col field: …), a coded error, or commander's flag message.
    expect(first, where).toMatch(/^(\S+:\d+:\d+ \S+: .+|error \[[A-Z_]+\]: .+|error: .+|\S+: .+)$/);
    if (db !== null) expect(existsSync(db), `${where}\n${db} was left behind`).toBe(false);
  }
  if (outcome.code === 1) expect(outcome.stderr, where).toMatch(/threshold|EXPORT_FAILED|SINK_FAILED/);
}

/** One random mutation of a YAML text. */
function mutate(text: string, rng: SeededRng): string {
  const lines = text.split('\n');
  const at = rng.int(lines.length);
  const line = lines[at] ?? '';
  switch (rng.int(6)) {
    case 0: // a value replaced by a nasty one
      lines[at] = /:\s*\S/.test(line) ? line.replace(/:\s*.*$/, `: ${NASTY[rng.int(NASTY.length)]}`) : `${line} ${NASTY[rng.int(NASTY.length)]}`;
      break;
    case 1: // a line dropped
      lines.splice(at, 1);
      break;
    case 2: // a line repeated (duplicate keys)
      lines.splice(at, 0, line);
      break;
    case 3: // indentation broken
      lines[at] = `${' '.repeat(rng.int(5))}${line.trimStart()}`;
      break;
    case 4: // an unknown key
      lines.splice(at, 0, `${line.match(/^\s*/)?.[0] ?? ''}surprise${rng.int(100)}: ${NASTY[rng.int(NASTY.length)]}`);
      break;
    default: // the file cut short
      return text.slice(0, rng.int(text.length));
  }
  return lines.join('\n');
}

describe('fuzz: bad input never crashes, hangs or leaves files', () => {
  it('validates 240 mutated scenarios: exit 0 or 2, located, no stack', async () => {
    const rng = new SeededRng(20261204);
    for (let index = 0; index < 240; index++) {
      const source = shipped[index % shipped.length] as string;
      let text = readFileSync(source, 'utf8');
      for (let count = 1 + rng.int(3); count > 0; count--) text = mutate(text, rng);
      const file = join(folder, `mutant-${index}.yaml`);
      writeFileSync(file, text);
      const args = ['validate', file];
      const outcome = await cli(args);
      expect([0, 2]).toContain(outcome.code);
      expectKept(outcome, args, null);
    }
  }, 120_000);

  it('refuses hostile scenario files with exit 2 at a file position, writing nothing', async () => {
    const legal = readFileSync(join(scenarios, 'legal-review.yaml'), 'utf8');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)];
    const hostile: Record<string, string> = {
      'unresolved-alias': legal.replace(/^name: .*$/m, 'name: *nowhere'),
      'alias-bomb': `${bomb.join('\n')}\n${legal.replace(/^description:.*$/m, 'description: *h')}`,
      'huge-duration': `${legal}\nworkflowTimeout: "${'9'.repeat(400)}ms"\n`,
      'huge-name': legal.replace(/^name: .*$/m, `name: ${'a'.repeat(1_000_000)}`),
      'zero-rate': `${legal}\nload: { arrivals: poisson, rate: 0, duration: 1m }\n`,
      'billion-cases': legal.replace(/^(\s+count:) 300$/m, '$1 1000000000'),
      'empty': '',
      'junk': '\u0000\u0001\u0002 not yaml: [',
    };
    for (const [name, text] of Object.entries(hostile)) {
      const file = join(folder, `hostile-${name}.yaml`);
      writeFileSync(file, text);
      const db = join(folder, `hostile-${name}.db`);
      const args = ['run', file, '--cases', '3', '--db', db, '--quiet', '--no-report'];
      const outcome = await cli(args);
      expect(outcome.code, `${name}: ${outcome.stderr.slice(0, 500)}`).toBe(2);
      expect(outcome.stderr.split('\n')[0], name).toMatch(/^\S+:\d+:\d+ \S+: .+$/);
      expect(outcome.stderr.length, `${name}: the message stays short`).toBeLessThan(2_000);
      expectKept(outcome, args, db);
    }
  }, 60_000);

  it('runs 30 mutated scenarios that still validate, or refuses them before writing', async () => {
    const rng = new SeededRng(7);
    for (let index = 0; index < 30; index++) {
      const source = shipped[index % shipped.length] as string;
      const file = join(folder, `run-mutant-${index}.yaml`);
      writeFileSync(file, mutate(readFileSync(source, 'utf8'), rng));
      const db = join(folder, `run-mutant-${index}.db`);
      const args = ['run', file, '--cases', '3', '--duration', '20s', '--db', db, '--quiet', '--no-report', '--no-threshold-gate', '--yes'];
      expectKept(await cli(args), args, db);
    }
  }, 120_000);

  it('refuses bad flag values with exit 2 and writes nothing', async () => {
    const legal = join(scenarios, 'legal-review.yaml');
    const bad: readonly (readonly string[])[] = [
      ['--seed', '3,3'], ['--seed', ','], ['--seed', ''], ['--seed', ' '], ['--seed', '1,,2'], ['--seed', '-1'], ['--seed', '1e3'], ['--seed', '4294967296'],
      ['--cases', '0'], ['--cases', '1e9'], ['--cases', '2000000'], ['--cases', 'x'], ['--repeat', '1000000'], ['--repeat', '-2'],
      ['--concurrency', '0'], ['--rate', '0'], ['--rate', '-5/s'], ['--rate', 'fast'], ['--rate', '999999999/s', '--duration', '1h'],
      ['--duration', `${'9'.repeat(400)}ms`], ['--duration', '1e309ms'], ['--duration', '31d'], ['--duration', '999h'],
      ['--max-in-flight', '0'], ['--otlp', 'not a url'], ['--otlp', 'ftp://127.0.0.1/'], ['--shard', '3/2'], ['--shard', '0/1'],
      ['--pattern', 'nope'], ['--variant', 'nope'], ['--threshold', 'p95(latency) <'], ['--format', 'xml'], ['--arrivals', 'burst'],
      ['--db', ''], ['--db', '/proc/patternbench.db'], ['--resume', join(folder, 'no-such.db')], ['--replay', join(folder, 'no-such.db')],
    ];
    for (const [index, flags] of bad.entries()) {
      const db = join(folder, `flags-${index}.db`);
      const args = ['run', legal, '--cases', '3', '--quiet', '--no-report', ...(flags.includes('--db') || flags.includes('--resume') ? [] : ['--db', db]), ...flags];
      const outcome = await cli(args);
      expect(outcome.code, `${args.join(' ')}\n${outcome.stderr}`).toBe(2);
      expectKept(outcome, args, db);
    }
  }, 120_000);
});
