import { describe, expect, it } from 'vitest';
import type { AgentCall } from '../harness/pipeline/call.ts';
import { chatRequest, outputFormat } from '../harness/agents/openai-request.ts';
import type { AgentInput } from '../patterns/types.ts';
import { scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(
  [
    'name: request-shape',
    'agents:',
    '  solo: { role: Reviews contracts, model: mid-tier, scope: [legal], endpoint: { baseUrl: "http://127.0.0.1:9/v1", model: gw-1, stream: true } }',
    'cases:',
    '  inline:',
    '    - { id: c1, input: { text: "clause 7" }, expected: { label: risky, findings: ["legal:indemnity"], value: 3 } }',
    '    - { id: c2, expected: { label: safe } }',
    'patterns:',
    '  single-agent: { agent: solo }',
    '',
  ].join('\n'),
);
const agent = scenario.agents.get('solo');

describe('the Chat Completions request of an attempt', () => {
  it('asks for the fields the cases are judged on, strictly, minus the labels the task rules out', () => {
    expect(outputFormat(scenario, { kind: 'answer', exclude: ['safe'] })).toEqual({
      name: 'patternbench_answer',
      schema: {
        type: 'object',
        properties: {
          label: { type: 'string', enum: ['risky'] },
          findings: { type: 'array', items: { type: 'string', enum: ['legal:indemnity'] } },
          value: { type: 'number' },
          confidence: expect.objectContaining({ type: 'number' }),
        },
        required: ['label', 'findings', 'value', 'confidence'],
        additionalProperties: false,
      },
    });
  });

  it('asks a reviewer for a verdict, a planner for candidate names, a specialist that may send back for sendBack', () => {
    const subject = { agent: 'x', tokens: 1 };
    expect(outputFormat(scenario, { kind: 'review', subject }).schema['required']).toEqual(['verdict', 'confidence']);
    const plan = outputFormat(scenario, { kind: 'plan', candidates: [{ name: 'tax', scope: ['tax'] }] }).schema;
    expect(plan['properties']).toEqual({ plan: expect.objectContaining({ type: 'array', items: { type: 'string', enum: ['tax'] } }) });
    expect(outputFormat(scenario, { kind: 'handle', domain: ['risky'], canSendBack: true }).schema['required']).toEqual(['label', 'findings', 'value', 'confidence', 'sendBack']);
    expect(outputFormat(scenario, { kind: 'handle', domain: ['risky'], canSendBack: false }).schema['required']).not.toContain('sendBack');
  });

  it('sends the role as system, and the task, case input and upstream outputs (without token sizes) as user JSON', () => {
    const input: AgentInput = { tokens: 900, upstream: [{ agent: 'intake', label: 'risky', confidence: 0.7, tokens: 120 }] };
    const call = { agent, input, workflow: { caseSpec: { input: { text: 'clause 7' } } } } as unknown as AgentCall;
    const format = outputFormat(scenario, { kind: 'answer' });
    const request = chatRequest(call, agent?.endpoint ?? (null as never), format);
    expect(request.model).toBe('gw-1');
    expect(request.stream).toBe(true);
    expect(request.stream_options).toEqual({ include_usage: true });
    expect(request.response_format).toEqual({ type: 'json_schema', json_schema: { ...format, strict: true } });
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Reviews contracts\nAnswer with one JSON object that follows the response schema.' });
    expect(JSON.parse(request.messages[1]?.content ?? '')).toEqual({
      task: { kind: 'answer', instructions: expect.any(String), findingsDomains: ['legal'] },
      input: { text: 'clause 7' },
      upstream: [{ agent: 'intake', label: 'risky', confidence: 0.7 }],
    });
  });

  it('names the endpoint\'s model on the agent\'s chat spans, keeping the profile\'s prices', () => {
    expect(agent?.model.model).toBe('gw-1');
    expect(agent?.model.pricing).toEqual(scenario.models.get('mid-tier')?.pricing);
  });
});
