import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { runLegalReview, withSlowerPattern } from './support/compare-dbs.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-compare-order-'));
let base = '';
let head = '';

/** Runs `compare` with `args`; the exit code, the regressions and the errors it printed. */
async function compare(args: (files: { base: string; head: string }) => string[]): Promise<{ code: number; regressions: string[]; errors: string }> {
  const io = captureIo();
  const code = await main(['compare', ...args({ base, head })], io);
  return { code, regressions: io.stderr.filter((line) => line.startsWith('regression:')), errors: io.stderr.join('\n') };
}

describe('compare --fail-on, before or after the two files', () => {
  beforeAll(async () => {
    base = await runLegalReview(folder, 'base', 200);
    head = withSlowerPattern(base, folder, 'head', 'sequential', 1.3);
  });

  it('takes the files after a --fail-on rule', async () => {
    const result = await compare((files) => ['--fail-on', 'p95 +10%', files.base, files.head]);
    expect(result.code).toBe(1);
    expect(result.regressions).toHaveLength(1);
    expect(result.regressions[0]).toContain("'p95 +10%'");
  });

  it('takes one rule per --fail-on, repeated', async () => {
    const result = await compare((files) => ['--fail-on', 'accuracy -2pt', '--fail-on', 'p95 +10%', files.base, files.head]);
    expect(result.code).toBe(1);
    expect(result.regressions).toHaveLength(1);
  });

  it('keeps the documented form: the files, then --fail-on with several rules', async () => {
    const failing = await compare((files) => [files.base, files.head, '--fail-on', 'accuracy -2pt', 'p95 +10%']);
    expect(failing.code).toBe(1);
    expect(failing.regressions).toHaveLength(1);
    expect((await compare((files) => [files.base, files.head, '--fail-on', 'accuracy -2pt', 'p95 +40%'])).code).toBe(0);
  });

  it('checks a rule that follows the files like any other', async () => {
    const result = await compare((files) => [files.base, files.head, '--fail-on', 'accuracy -2pt', 'p95 10%']);
    expect(result.code).toBe(2);
    expect(result.errors).toMatch(/--fail-on rule "p95 10%": not a rule/);
  });

  it('names a rule written where a file belongs', async () => {
    const result = await compare((files) => ['--fail-on', 'p95 +10%', 'accuracy -2pt', files.base, files.head]);
    expect(result.code).toBe(2);
    expect(result.errors).toMatch(/error \[USAGE\]: 'accuracy -2pt' is a --fail-on rule, not a results file/);
  });

  it('refuses a third file without --fail-on', async () => {
    const result = await compare((files) => [files.base, files.head, files.base]);
    expect(result.code).toBe(2);
    expect(result.errors).toMatch(/error \[USAGE\]: compare takes two results files, got 3 arguments/);
  });
});
