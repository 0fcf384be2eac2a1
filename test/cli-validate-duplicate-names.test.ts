import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const legal = readFileSync(new URL('../scenarios/legal-review.yaml', import.meta.url), 'utf8');

describe('validate refuses what run refuses: two scenarios of one name', () => {
  it('in one folder, and across two paths of one command: exit 2 at the second name', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-names-'));
    mkdirSync(join(folder, 'suite'));
    writeFileSync(join(folder, 'suite', 'a.yaml'), legal);
    writeFileSync(join(folder, 'suite', 'b.yaml'), legal);
    const inFolder = captureIo();
    expect(await main(['validate', join(folder, 'suite')], inFolder)).toBe(2);
    expect(inFolder.stderr.join('\n')).toBe(`${join(folder, 'suite', 'b.yaml')}:1:1 name: scenario name 'legal-review' is already used by ${join(folder, 'suite', 'a.yaml')}`);

    writeFileSync(join(folder, 'other.yaml'), legal);
    const acrossPaths = captureIo();
    expect(await main(['validate', join(folder, 'suite', 'a.yaml'), join(folder, 'other.yaml')], acrossPaths)).toBe(2);
    expect(acrossPaths.stderr.join('\n')).toContain(`${join(folder, 'other.yaml')}:1:1 name: scenario name 'legal-review' is already used by`);
    const run = captureIo();
    expect(await main(['run', join(folder, 'suite', 'a.yaml'), join(folder, 'other.yaml'), '--db', join(folder, 'x.db'), '--quiet'], run)).toBe(2);
    expect(run.stderr.join('\n')).toContain("name: scenario name 'legal-review' is already used by");
  });
});
