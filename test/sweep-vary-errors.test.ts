// `sweep --vary` refuses a path it cannot sweep with exit 2, before anything is written, naming the
// path, where it is in the file and why: a field the scenario does not know, one that is not
// numeric, a value out of the field's range, an agent that is not defined, malformed values.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/support-routing.yaml', import.meta.url).pathname;

async function refused(vary: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-errors-'));
  const db = join(folder, 'sweep.db');
  const io = captureIo();
  const code = await main(['sweep', scenario, '--vary', vary, '--db', db, '--quiet'], io);
  expect(code).toBe(2);
  expect(existsSync(db)).toBe(false);
  expect(readdirSync(folder)).toEqual([]);
  expect(io.stdout).toEqual([]);
  return io.stderr.join('\n');
}

describe('sweep --vary errors', () => {
  it('names an unknown field, located at its nearest parent', async () => {
    const message = await refused('agents.ticket-classifier.skil=0.7,0.8');
    expect(message).toMatch(/support-routing\.yaml:19:3 agents\.ticket-classifier\.skil: with agents\.ticket-classifier\.skil = 0\.7: unknown key 'skil'/);
    expect(message).toContain('nothing was run or written');
  });

  it('names a field that is not numeric, and what to vary instead', async () => {
    expect(await refused('agents.ticket-classifier.model=1,2')).toContain("agents.ticket-classifier.model: --vary: not numeric: it is the text 'small-fast'");
    expect(await refused('agents.ticket-classifier.outputTokens=1,2')).toContain(
      'agents.ticket-classifier.outputTokens: --vary: not numeric: it is a map: vary one of its numeric fields (agents.ticket-classifier.outputTokens.p50, agents.ticket-classifier.outputTokens.p95)',
    );
  });

  it('names a value out of range', async () => {
    expect(await refused('agents.ticket-classifier.skill=0.9..1.2:4')).toMatch(/agents\.ticket-classifier\.skill: with agents\.ticket-classifier\.skill = 1\.1: must be at most 1/);
  });

  it('names an agent that is not defined', async () => {
    expect(await refused('agents.triage.skill=0.5,0.6')).toContain("agents.triage.skill: --vary: unknown agent 'triage' (agents: ticket-classifier, billing-specialist");
  });

  it('refuses to analyse a results file that holds no sweep, and a sweep without --vary', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-errors-'));
    const db = join(folder, 'run.db');
    expect(await main(['run', scenario, '--cases', '5', '--db', db, '--quiet', '--no-report', '--format', 'json'], captureIo())).toBe(0);
    const io = captureIo();
    expect(await main(['sweep', '--results', db, '--no-report'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(`${db} holds no sweep (no sweep_points rows)`);
    expect(await refused('')).toContain('--vary takes PATH=VALUES');
    const bare = captureIo();
    expect(await main(['sweep', scenario, '--db', join(folder, 'bare.db')], bare)).toBe(2);
    expect(bare.stderr.join('\n')).toContain('a sweep needs at least one --vary PATH=VALUES');
  });

  it('names malformed values and paths', async () => {
    expect(await refused('agents.ticket-classifier.skill=0.7..0.9')).toContain("'0.7..0.9' is not a number, a duration (250ms, 30s) or a rate (12/s, 600/m)");
    expect(await refused('agents.ticket-classifier.skill=0.7,,0.9')).toContain("the list '0.7,,0.9' has an empty entry");
    expect(await refused('load.rate=1/s..30s:4')).toContain("the range's ends are of different kinds (1/s is a rate, 30s a duration)");
    expect(await refused('load.rate=0/s~10/s:3')).toContain('a log-spaced range (~) needs both ends above 0');
    expect(await refused('agents.ticket-classifier.skill')).toContain('--vary takes PATH=VALUES');
    expect(await refused('agents.ticket-classifier.skill=0.7,0.70')).toContain('0.7 is the same value as 0.7');
  });
});
