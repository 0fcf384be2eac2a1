import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-audit-no-trail-'));
const shipped = readFileSync(new URL('../scenarios/legal-review.yaml', import.meta.url), 'utf8');
// The shipped legal review does not audit by default; a renamed copy of it turns the trail on.
const plain = join(folder, 'legal-review.yaml');
const audited = join(folder, 'legal-review-audited.yaml');
writeFileSync(plain, shipped);
writeFileSync(audited, `${shipped.replace(/^name: legal-review$/m, 'name: legal-review-audited')}\naudit: on\n`);
const unauditedDb = join(folder, 'unaudited.db');
const mixedDb = join(folder, 'mixed.db');

async function run(paths: string[], db: string): Promise<void> {
  const code = await main(['run', ...paths, '--pattern', 'sequential', '--cases', '4', '--db', db, '--no-report', '--quiet'], captureIo());
  expect(code).toBe(0);
}

async function verify(...args: string[]): Promise<{ code: number; out: string }> {
  const io = captureIo();
  const code = await main(['audit', 'verify', ...args], io);
  return { code, out: io.stdout.join('\n') };
}

describe('audit verify on a file without an audit trail', () => {
  beforeAll(async () => {
    await run([plain], unauditedDb);
    await run([plain, audited], mixedDb);
  });

  it('says there is no audit trail, and exits 0 without --require', async () => {
    const { code, out } = await verify(unauditedDb);
    expect(code).toBe(0);
    expect(out).toMatch(/^no audit trail: none of the 1 runs in .*unaudited\.db was audited/);
  });

  it('exits 1 with --require: a gate does not pass on nothing', async () => {
    const { code, out } = await verify(unauditedDb, '--require');
    expect(code).toBe(1);
    expect(out).toMatch(/^no audit trail:/);
  });

  it('counts only the runs with an audit trail', async () => {
    const { code, out } = await verify(mixedDb, '--require');
    expect(code).toBe(0);
    expect(out).toMatch(/^ok: \d+ audit rows in 1 runs, every chain intact \(1 runs without an audit trail\)$/);
  });
});
