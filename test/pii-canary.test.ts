import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

// Unique values planted in the cases' classed fields: none may be found anywhere a masked run leaves data.
const canaries = Array.from({ length: 4 }, () => ({
  name: `Canary ${randomUUID()}`,
  email: `canary-${randomUUID()}@example.com`,
  account: `acct-${randomUUID()}`,
}));
const planted = canaries.flatMap((canary) => [canary.name, canary.email, canary.account]);

const cases = canaries
  .map((canary, index) => `    - id: c${index}
      input: { customer_name: "${canary.name}", customer_email: "${canary.email}", account_number: "${canary.account}", text: "ticket ${index}" }
      expected: { label: ${index % 2 === 0 ? 'billing' : 'tech'} }`)
  .join('\n');

// Every pattern; an agent that needs the email on a US model (a residency crossing); a flaky
// agent so that some workflows fail into the dead-letter queue with their case input.
const scenario = `name: pii-canary
seed: 3
agents:
  intake: { role: Reads the ticket and the customer record, model: mid-tier, outputTokens: 40, tools: [crm-lookup], needs: [customer_email] }
  billing: { role: Handles billing tickets, model: small-fast, outputTokens: 40, needs: [account_number] }
  tech:
    role: Handles technical tickets
    model: small-fast
    outputTokens: 40
    faults: { error: 0.98, timeout: 0, rateLimit: 0 }
    retry: { attempts: 1 }
  lead: { role: Supervises and summarises, model: frontier, outputTokens: 40 }
dataClasses: { customer_name: name, customer_email: email, account_number: account_number }
dataClassRegions: { email: [eu] }
cases:
  inline:
${cases}
patterns:
  sequential: { steps: [intake, billing, tech] }
  fanout: { workers: [billing, tech], synthesis: lead }
  router: { classifier: intake, routes: { billing: billing, tech: tech } }
  supervisor: { supervisor: lead, subtasks: [{ name: a, worker: billing }, { name: b, worker: tech }] }
  single-agent: { agent: lead }
variants:
  unmasked: { masking: off }
`;

const folder = mkdtempSync(join(tmpdir(), 'patternbench-pii-canary-'));
const file = join(folder, 'pii-canary.yaml');
writeFileSync(file, scenario);
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/** Runs one variant with OTLP export and the HTML report; returns every byte it left behind, by where. */
async function runVariant(variant: string): Promise<{ code: number; places: Map<string, Buffer>; db: string }> {
  const db = join(folder, `${variant}.db`);
  const io = captureIo();
  const bodiesBefore = receiver.bodies.length;
  const code = await main(['run', file, '--variant', variant, '--db', db, '--otlp', receiver.url], io);
  const places = new Map<string, Buffer>();
  for (const path of [db, `${db}-wal`, join(folder, `${variant}.html`)]) if (existsSync(path)) places.set(path, readFileSync(path));
  places.set('otlp payloads', Buffer.concat(receiver.bodies.slice(bodiesBefore)));
  places.set('logs', Buffer.from([...io.stdout, ...io.stderr].join('\n')));
  return { code, places, db };
}

/** Occurrences of each planted value, byte by byte, in each place. */
function found(places: Map<string, Buffer>): string[] {
  const hits: string[] = [];
  for (const [place, bytes] of places) for (const value of planted) if (bytes.includes(Buffer.from(value, 'utf8'))) hits.push(`${place}: ${value}`);
  return hits;
}

describe('PII masking canary', () => {
  it('leaves no planted value in SQLite, OTLP payloads, the HTML report or the logs, over every pattern', async () => {
    const { code, places, db } = await runVariant('base');
    expect(code).toBe(0);
    expect([...places.keys()].filter((place) => place.endsWith('.html'))).toHaveLength(1);
    expect(places.get('otlp payloads')?.length).toBeGreaterThan(0);
    expect(found(places)).toEqual([]);

    // The run did carry the data: tokens stand where the values were, and failures reached the DLQ.
    const sqlite = new Database(db, { readonly: true });
    const patterns = sqlite.prepare("SELECT DISTINCT pattern FROM runs").pluck().all();
    const tokens = sqlite.prepare("SELECT count(*) FROM workflows WHERE output LIKE '%[email:%'").pluck().get() as number;
    const letters = sqlite.prepare("SELECT count(*) FROM dead_letters WHERE input LIKE '%[account_number:%'").pluck().get() as number;
    sqlite.close();
    expect(new Set(patterns)).toEqual(new Set(['sequential', 'fanout', 'router', 'supervisor', 'single-agent']));
    expect(tokens).toBeGreaterThan(0);
    expect(letters).toBeGreaterThan(0);
  });

  it('finds the planted values with masking off, so the scan can fail', async () => {
    const { code, places } = await runVariant('unmasked');
    expect(code).toBe(0);
    const hits = found(places);
    for (const value of planted) expect(hits.some((hit) => hit.endsWith(value))).toBe(true);
  });
});
