// The one module that imports `openai`: a chat provider for any OpenAI-compatible endpoint (OpenAI, Azure
// OpenAI, Ollama, vLLM, LM Studio). The SDK's own retries are off and its timeout is ours, so a slow or failing
// provider surfaces at once as an AppError and the orchestrator falls back to the rule planner.
import OpenAI from 'openai';
import { AppError } from '../errors.js';

/** A tool call the model asked for; `arguments` is the model's raw JSON text, unparsed. */
export type ChatToolCall = { id: string; name: string; arguments: string };

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ChatToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A function the model may call; `parameters` is a JSON Schema object. */
export type ChatTool = { name: string; description: string; parameters: Record<string, unknown> };

export type ChatUsage = { prompt: number; completion: number; total: number };

export type ChatRequest = { messages: ChatMessage[]; tools: ChatTool[]; signal?: AbortSignal };

export type ChatResponse = {
  message: { content: string | null; toolCalls: ChatToolCall[] };
  usage: ChatUsage;
  finishReason: string;
};

/** A language model behind one method; failures are AppErrors with `llm:*` codes. */
export type ChatProvider = { complete(req: ChatRequest): Promise<ChatResponse> };

export type OpenAIProviderOptions = {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  /** Per request; default 20 s. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 20_000;

/** Creates a provider speaking Chat Completions to `baseUrl` (default OpenAI) with `model`. */
export function createOpenAIProvider(opts: OpenAIProviderOptions): ChatProvider & { model: string; timeoutMs: number } {
  if (!opts.model.trim()) throw new AppError('config:invalid', 'The language model needs a model name (QM_LLM_MODEL).');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Every option is explicit so the SDK reads nothing from the environment (only src/config.ts does).
  // Local servers (Ollama, vLLM) need no key, but the SDK insists on one.
  const client = new OpenAI({
    apiKey: opts.apiKey ?? 'unused',
    adminAPIKey: null,
    baseURL: opts.baseUrl ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: 'off',
  });
  return {
    model: opts.model,
    timeoutMs,
    async complete(req) {
      const body = {
        model: opts.model,
        messages: req.messages.map(toWire),
        ...(req.tools.length > 0 ? { tools: req.tools.map(toolToWire) } : {}),
      };
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(body, { signal: req.signal }).catch((err: unknown) => {
          // Typically a kept-alive connection the server (or a proxy) closed as idle just as it was reused. A
          // completion changes nothing on our side, so sending it once more, on a fresh connection, is safe.
          if (!isStaleConnection(err)) throw err;
          return client.chat.completions.create(body, { signal: req.signal });
        });
      } catch (err) {
        throw providerError(err, timeoutMs);
      }
      const choice = completion.choices?.[0];
      if (!choice?.message) throw new AppError('llm:provider', 'the provider returned no answer');
      const m = choice.message;
      const toolCalls: ChatToolCall[] = (m.tool_calls ?? []).map((c) =>
        c.type === 'function'
          ? { id: c.id, name: c.function.name, arguments: c.function.arguments }
          : // We declare function tools only: anything else is reported as the unknown tool it is.
            { id: c.id, name: `${c.type}:${c.custom.name}`, arguments: c.custom.input },
      );
      return {
        message: { content: m.content ?? m.refusal ?? null, toolCalls },
        usage: {
          prompt: completion.usage?.prompt_tokens ?? 0,
          completion: completion.usage?.completion_tokens ?? 0,
          total: completion.usage?.total_tokens ?? 0,
        },
        finishReason: choice.finish_reason ?? 'stop',
      };
    },
  };
}

function toWire(m: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  switch (m.role) {
    case 'system':
    case 'user':
      return { role: m.role, content: m.content };
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls && m.toolCalls.length > 0
          ? {
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      };
  }
}

function toolToWire(t: ChatTool): OpenAI.Chat.Completions.ChatCompletionTool {
  return { type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } };
}

// Response bodies can echo prompt data, so messages carry the status only; the cause keeps the rest for logs.
/** True when a request failed because its reused connection was already closed by the other side. */
function isStaleConnection(err: unknown): boolean {
  if (!(err instanceof OpenAI.APIConnectionError) || err instanceof OpenAI.APIConnectionTimeoutError) return false;
  for (let e: unknown = err.cause; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return true;
  }
  return false;
}

function providerError(err: unknown, timeoutMs: number): AppError {
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new AppError('llm:timeout', `timeout after ${seconds(timeoutMs)}`, { cause: err });
  }
  if (err instanceof OpenAI.APIUserAbortError) return new AppError('llm:aborted', 'the request was cancelled', { cause: err });
  if (err instanceof OpenAI.APIConnectionError) {
    return new AppError('llm:provider', 'the provider could not be reached', { cause: err });
  }
  if (err instanceof OpenAI.APIError) {
    return new AppError('llm:provider', `the provider answered HTTP ${err.status ?? 'error'}`, { cause: err });
  }
  return new AppError('llm:provider', `the provider call failed: ${(err as Error).message}`, { cause: err });
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
