import { describe, expect, it } from 'vitest';
import { withOpenInferenceAliases } from '../reports/store/openinference.ts';

describe('OpenInference aliases of GenAI attributes', () => {
  it('mirrors a chat span\'s kind, cost, token counts and model', () => {
    const aliased = withOpenInferenceAliases({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cost.amount': 0.00096,
      'gen_ai.usage.cost.currency': 'USD',
    });
    expect(aliased).toMatchObject({
      'openinference.span.kind': 'LLM',
      'llm.cost.total': 0.00096,
      'llm.token_count.prompt': 1200,
      'llm.token_count.completion': 300,
      'llm.token_count.total': 1500,
      'llm.model_name': 'gpt-4.1-mini',
      'gen_ai.usage.cost.amount': 0.00096,
    });
  });

  it('gives an agent span token counts but no cost: its attempts carry it, so Phoenix does not count it twice', () => {
    const aliased = withOpenInferenceAliases({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.output_tokens': 300 });
    expect(aliased).toMatchObject({ 'openinference.span.kind': 'AGENT', 'llm.token_count.total': 1500 });
    expect(aliased).not.toHaveProperty('llm.cost.total');
  });

  it.each([
    ['invoke_workflow', 'CHAIN'],
    ['invoke_agent', 'AGENT'],
    ['execute_tool', 'TOOL'],
  ])('maps %s to span kind %s', (operation, kind) => {
    expect(withOpenInferenceAliases({ 'gen_ai.operation.name': operation })['openinference.span.kind']).toBe(kind);
  });

  it('leaves spans of unknown operations alone and never mutates its input', () => {
    const attributes = { 'gen_ai.operation.name': 'embeddings', 'gen_ai.usage.cost.amount': 1 };
    expect(withOpenInferenceAliases(attributes)).toBe(attributes);
    const chat = { 'gen_ai.operation.name': 'chat' };
    withOpenInferenceAliases(chat);
    expect(chat).toEqual({ 'gen_ai.operation.name': 'chat' });
  });
});
