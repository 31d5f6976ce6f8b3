// Chooses the language model from the configuration: none unless an API key or an endpoint is configured, so
// Quartermaster works offline with the rule planner by default.
import type { Config } from '../config.js';
import { type ChatProvider, createOpenAIProvider } from './openai.js';

/** The configured chat provider, or undefined when no LLM is configured. */
export function llmFromConfig(llm: Config['llm'], opts: { timeoutMs?: number } = {}): (ChatProvider & { model: string }) | undefined {
  if (!llm.apiKey && !llm.baseUrl) return undefined;
  return createOpenAIProvider({ apiKey: llm.apiKey, baseUrl: llm.baseUrl, model: llm.model, timeoutMs: opts.timeoutMs });
}
