import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { residencyFlows } from '../reports/summary/residency.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

// EU-only emails; the intake agent needs the email and runs on a US model, the EU reviewer needs it
// too; the writer needs only the name, which may go anywhere.
const scenario = `name: residency
agents:
  intake: { role: Reads the customer record, model: mid-tier, outputTokens: 20, needs: [customer_email] }
  reviewer: { role: Reviews the record, model: eu-model, outputTokens: 20, needs: [customer_email] }
  writer: { role: Writes the answer, model: small-fast, outputTokens: 20, needs: [customer_name] }
models:
  eu-model: { extends: mid-tier, region: eu-west-1 }
dataClasses: { customer_name: name, customer_email: email }
dataClassRegions: { email: [eu] }
cases:
  inline:
    - { input: { customer_name: A, customer_email: a@example.com }, expected: { label: ok } }
    - { input: { customer_name: B, customer_email: b@example.com }, expected: { label: ok } }
    - { input: { customer_name: C }, expected: { label: ok } }
patterns:
  sequential: { steps: [intake, reviewer, writer] }
variants:
  unmasked: { masking: off }
`;

describe('data residency flows', () => {
  it('lists, per agent, the classed data its model received outside the allowed regions: its needs with masking on, everything with it off', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-residency-'));
    const file = join(folder, 'residency.yaml');
    writeFileSync(file, scenario);
    const path = join(folder, 'residency.db');
    const io = captureIo();
    expect(await main(['run', file, '--db', path, '--no-report'], io)).toBe(0);
    const db = openDatabase(path, { readonly: true });
    const flows = residencyFlows(db).map((flow) => [flow.runId.split('/')[2], flow.agent, flow.dataClass, flow.region, flow.allowed.join(','), flow.calls]);
    db.close();
    expect(flows).toEqual([
      // Masking on: only the intake agent (US) received emails — of the two cases that have one.
      ['base', 'intake', 'email', 'us', 'eu', 2],
      // Masking off: the writer received them too; the EU reviewer is within bounds either way.
      ['unmasked', 'intake', 'email', 'us', 'eu', 2],
      ['unmasked', 'writer', 'email', 'us', 'eu', 2],
    ]);
    expect(io.stdout.join('\n')).toContain('residency/sequential/base/seed-1: intake received email on a model in us (allowed: eu) — 2 calls');
  });
});
