import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileScenarioText } from '../harness/run/load-scenario.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shows a scenario example that compiles', () => {
    const section = readme.slice(readme.indexOf('## Scenarios'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const scenario = compileScenarioText(example as string, 'README.md');
    expect([...scenario.agents.keys()]).toEqual(['clause-extractor', 'risk-scorer']);
  });

  it('keeps the quick start to the two commands', () => {
    expect(readme).toContain('npm install && npm start\nnpm test\n');
  });
});
