import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
const RULES = new Set(['no-restricted-properties', 'no-restricted-globals', 'no-restricted-syntax']);

async function ambientTimeFindings(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId !== null && RULES.has(message.ruleId)).map((message) => message.message);
}

describe('lint: ambient time and randomness', () => {
  it('finds none in the product code (harness, patterns, reports)', async () => {
    const results = await eslint.lintFiles(['harness/**/*.ts', 'patterns/**/*.ts', 'reports/**/*.ts']);
    const findings = results.flatMap((result) =>
      result.messages.filter((message) => message.ruleId !== null && RULES.has(message.ruleId)).map((message) => `${result.filePath}:${message.line} ${message.message}`),
    );
    expect(results.length).toBeGreaterThan(20);
    expect(findings).toEqual([]);
  });

  it.each([
    ['Date.now()', 'const t = Date.now();'],
    ['Math.random()', 'const r = Math.random();'],
    ['performance.now()', "import { performance } from 'node:perf_hooks';\nconst t = performance.now();"],
    ['setTimeout', 'setTimeout(() => {}, 10);'],
    ['new Date()', 'const d = new Date();'],
  ])('flags %s outside the clock and RNG modules', async (_name, code) => {
    expect(await ambientTimeFindings(code, 'patterns/example.ts')).toHaveLength(1);
  });

  it('allows them in the clock and RNG modules', async () => {
    expect(await ambientTimeFindings('const t = Date.now(); setTimeout(() => {}, 1);', 'harness/kernel/real-clock.ts')).toEqual([]);
    expect(await ambientTimeFindings('const r = Math.random();', 'harness/kernel/rng.ts')).toEqual([]);
  });
});
