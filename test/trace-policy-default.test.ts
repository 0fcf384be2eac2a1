/**
 * `--traces`: `all` by default, `tail` (1 %) by default only for open loads whose arrivals last
 * longer than ten minutes of virtual time — and the run says so; an explicit `--traces` wins; a
 * malformed one is bad input (exit 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { HarnessError } from '../harness/kernel/errors.ts';
import { parseTracePolicy, tailByDefaultNotice, tracePolicyFor } from '../harness/run/trace-policy.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const open = (minutes: number): LoadModel => ({
  kind: 'open', process: 'constant', phases: [{ durationMs: minutes * 60_000, fromPerSecond: 1, toPerSecond: 1 }], maxInFlight: null, onFull: 'drop', windowMs: null,
});
const closed = (durationMs: number | null): LoadModel => ({ kind: 'closed', concurrency: 4, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs, windowMs: null });

const folder = mkdtempSync(join(tmpdir(), 'patternbench-traces-default-'));
const scenario = join(folder, 'echo.yaml');
writeFileSync(
  scenario,
  `name: echo
agents:
  echo: { role: answers, model: small-fast, latency: 200ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 10, labels: { ok: 1 } }
patterns:
  single-agent: { agent: echo }
`,
);

describe('the default trace policy', () => {
  it('is tail at 1 % only for an open load longer than ten minutes; all otherwise, and whatever --traces says wins', () => {
    expect(tracePolicyFor(open(10.01), null)).toEqual({ mode: 'tail', share: 0.01 });
    expect(tracePolicyFor(open(10), null)).toEqual({ mode: 'all' });
    expect(tracePolicyFor(open(2), undefined)).toEqual({ mode: 'all' });
    expect(tracePolicyFor(closed(3_600_000), null)).toEqual({ mode: 'all' });
    expect(tracePolicyFor(closed(null), null)).toEqual({ mode: 'all' });
    expect(tracePolicyFor(open(60), { mode: 'all' })).toEqual({ mode: 'all' });
    expect(tracePolicyFor(closed(null), { mode: 'tail', share: 0.2 })).toEqual({ mode: 'tail', share: 0.2 });
    expect(tailByDefaultNotice([{ load: open(11) }, { load: open(11), traces: { mode: 'all' } }, { load: closed(null) }])).toContain('1 of 3 runs keep traces by tail sampling');
    expect(tailByDefaultNotice([{ load: open(10) }, { load: open(11), traces: { mode: 'tail', share: 0.5 } }])).toBeNull();
  });

  it('reads all, tail, tail:<share> and tail:<percent>; refuses anything else with USAGE', () => {
    expect(parseTracePolicy('all')).toEqual({ mode: 'all' });
    expect(parseTracePolicy('tail')).toEqual({ mode: 'tail', share: 0.01 });
    expect(parseTracePolicy('tail:0.25')).toEqual({ mode: 'tail', share: 0.25 });
    expect(parseTracePolicy('tail:5%')).toEqual({ mode: 'tail', share: 0.05 });
    expect(parseTracePolicy('tail:0')).toEqual({ mode: 'tail', share: 0 });
    for (const bad of ['some', 'tail:', 'tail:1.5', 'tail:150%', 'tail:-1', 'head']) {
      expect(() => parseTracePolicy(bad)).toThrow(HarnessError);
      expect(() => parseTracePolicy(bad)).toThrow(/--traces/);
    }
  });

  it('switches an 11-minute open run to tail and says so; a 10-minute one keeps every trace and says nothing', async () => {
    const long = join(folder, 'long.db');
    const io = captureIo();
    expect(await main(['run', scenario, '--rate', '1/s', '--arrivals', 'constant', '--duration', '11m', '--db', long, '--quiet', '--no-report'], io)).toBe(0);
    expect(io.stderr.join('\n')).toContain('traces: the run keeps traces by tail sampling (--traces tail, the default for open loads longer than 10 minutes)');
    expect(io.stdout.join('\n')).toMatch(/echo\/single-agent\/base\/seed-\d+: kept \d+ of 660 \(tail, 1 % sampled: /);
    const db = openDatabase(long, { readonly: true });
    try {
      expect(db.prepare("SELECT json_extract(config, '$.traces') FROM runs").pluck().get()).toBe('tail:0.01');
      expect(db.prepare('SELECT count(DISTINCT trace_id) FROM spans').pluck().get()).toBeLessThan(100);
    } finally {
      db.close();
    }

    const short = captureIo();
    expect(await main(['run', scenario, '--rate', '1/s', '--arrivals', 'constant', '--duration', '10m', '--db', join(folder, 'short.db'), '--quiet', '--no-report'], short)).toBe(0);
    expect(short.stderr.join('\n')).not.toContain('tail sampling');
    expect(short.stdout.join('\n')).not.toContain('kept');

    const asked = captureIo();
    expect(await main(['run', scenario, '--rate', '1/s', '--duration', '11m', '--traces', 'all', '--db', join(folder, 'asked.db'), '--quiet', '--no-report'], asked)).toBe(0);
    expect(asked.stderr.join('\n')).not.toContain('tail sampling');
  });

  it('exits 2 on a malformed --traces, naming the flag', async () => {
    const io = captureIo();
    expect(await main(['run', scenario, '--traces', 'tail:2', '--db', join(folder, 'bad.db'), '--quiet', '--no-report'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--traces');
  });
});
