import { z } from 'zod';
import type { IssueCollector } from '../issues.ts';
import type { AgentEndpoint, ModelProfile } from '../types.ts';

/** Names of environment variables: letters, digits and `_`, not starting with a digit. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `endpoint:` of an agent: the agent is real, reached over the OpenAI-compatible Chat Completions
 * API (OpenAI, vLLM, Ollama, LiteLLM, most gateways) instead of being simulated. Its model profile
 * still gives prices (cost), region and rate limits; its `timeout`, `retry`, breaker, fallback and
 * contract apply as for any agent. The API key is read from the named environment variable when
 * the run starts: only the variable's name is ever stored.
 */
export const endpointInputSchema = z
  .strictObject({
    baseUrl: z
      .url({ protocol: /^https?$/, error: (issue) => `baseUrl must be an http(s) URL, got ${JSON.stringify(issue.input)}` })
      .describe('Base URL of the API, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1; requests go to {baseUrl}/chat/completions.'),
    model: z.string().min(1).optional().describe("Model id sent in each request (and recorded as gen_ai.request.model). Default: the model profile's model id."),
    apiKeyEnv: z
      .string()
      .regex(ENV_NAME, { error: (issue) => `apiKeyEnv names an environment variable (letters, digits, '_'), got ${JSON.stringify(issue.input)}` })
      .optional()
      .describe('Environment variable holding the API key, sent as `Authorization: Bearer …`. Default none (no Authorization header, e.g. a local vLLM or Ollama).'),
    stream: z.boolean().default(false).describe('Stream the answer (SSE) and record the time to first chunk on the chat span. Default false.'),
  })
  .meta({
    id: 'Endpoint',
    description: 'Makes the agent real: an OpenAI-compatible Chat Completions endpoint. Runs need --realtime. Default none (simulated).',
  });

/**
 * An agent's `endpoint:`, compiled. A URL carrying credentials is rejected (the key belongs in the
 * environment variable); a `rule` model profile cannot be reached over HTTP.
 */
export function compileEndpoint(
  name: string,
  input: z.output<typeof endpointInputSchema> | undefined,
  model: ModelProfile,
  issues: IssueCollector,
): AgentEndpoint | null {
  if (input === undefined) return null;
  const path = ['agents', name, 'endpoint'];
  const url = new URL(input.baseUrl);
  if (url.username !== '' || url.password !== '') {
    issues.add([...path, 'baseUrl'], 'baseUrl must not carry credentials: put the API key in an environment variable and name it in apiKeyEnv');
  }
  if (model.kind === 'rule') issues.add(path, `a real agent needs a model: profile '${model.name}' is rule-based`);
  return {
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    model: input.model ?? model.model,
    apiKeyEnv: input.apiKeyEnv ?? null,
    stream: input.stream,
  };
}
