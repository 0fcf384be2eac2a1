import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { HttpAgent } from '../harness/agents/http-agent.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { captureIo } from './support/capture-io.ts';
import { oneRealAgentYaml } from './support/http-agent-run.ts';
import { scenarioFromYaml } from './support/run-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-http-preflight-'));
/** A variable no environment sets. */
const unset = `PB_UNSET_KEY_${randomUUID().replaceAll('-', '_')}`;
/** Nothing listens there: a run that got as far as calling it would fail differently. */
const endpoint = `baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: ${unset}`;

function scenarioFile(name: string): string {
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, oneRealAgentYaml(endpoint));
  return file;
}

describe('real agents are checked before anything runs or is written', () => {
  it('a missing API key variable exits 2 naming the variable, with no results file', async () => {
    const db = join(folder, 'missing-key.db');
    const io = captureIo();
    expect(await main(['run', scenarioFile('missing-key'), '--realtime', '--db', db, '--quiet'], io)).toBe(2);
    expect(io.stderr.join('')).toBe(
      `error [CREDENTIALS_MISSING]: agent 'solo' reads its API key from the environment variable ${unset}, which is not set ` +
        '(export it, or drop apiKeyEnv for an endpoint that needs no key)',
    );
    expect(existsSync(db)).toBe(false);
  });

  it('a run on the virtual clock exits 2 telling to add --realtime at the agent\'s endpoint (file:line:col), with no results file', async () => {
    const db = join(folder, 'virtual.db');
    const io = captureIo();
    const file = scenarioFile('virtual');
    expect(await main(['run', file, '--db', db, '--quiet'], io)).toBe(2);
    const line = readFileSync(file, 'utf8').split('\n').findIndex((text) => text.includes('endpoint:')) + 1;
    const column = (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').indexOf('endpoint') + 1;
    expect(line).toBeGreaterThan(0);
    expect(io.stderr[0]).toBe(
      `${file}:${line}:${column} agents.solo.endpoint: scenario 'one-real-agent' has real agents (solo) that answer on the wall clock: run it with --realtime`,
    );
    expect(existsSync(db)).toBe(false);
  });

  it('an HTTP agent refuses the virtual clock when built directly (executeRun without the CLI)', () => {
    const scenario = scenarioFromYaml(oneRealAgentYaml('baseUrl: "http://127.0.0.1:9/v1/"'));
    const agent = scenario.agents.get('solo');
    expect(agent?.endpoint).toEqual({ baseUrl: 'http://127.0.0.1:9/v1', model: agent?.model.model, apiKeyEnv: null, stream: false });
    expect(() => new HttpAgent(agent as NonNullable<typeof agent>, scenario, new VirtualClock())).toThrow(/run it with --realtime/);
  });
});
