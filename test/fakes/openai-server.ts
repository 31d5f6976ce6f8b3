// A scripted OpenAI-compatible server: a real HTTP server on 127.0.0.1 speaking the Chat Completions wire
// format, so the real `openai` SDK is exercised end to end. Each request consumes the next step of the script;
// every request is recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The request body as the SDK sends it (only what the tests read is typed). */
export type ChatRequestBody = {
  model: string;
  messages: { role: string; content?: string | null; tool_call_id?: string; tool_calls?: WireToolCall[] }[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  [key: string]: unknown;
};

type WireToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

/** What the scripted model says: final text, or tool calls (arguments as an object or as raw text). */
export type ModelTurn = {
  content?: string | null;
  toolCalls?: { name: string; arguments: Record<string, unknown> | string }[];
  usage?: { prompt: number; completion: number };
};

/** One step: answer from the request, wait then take a step, or fail with an HTTP status. */
export type Step =
  | ((body: ChatRequestBody) => ModelTurn)
  | { delayMs: number; next: Step }
  | { status: number; message?: string };

export type RecordedRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: ChatRequestBody };

export type FakeOpenAIServer = {
  /** Base URL for the SDK, ending in /v1. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replaces the script and clears the recorded requests. */
  script(steps: Step[]): void;
  /** Steps not yet consumed. */
  remaining(): number;
  close(): Promise<void>;
};

/** A model that answers with `content` straight away. */
export const say =
  (content: string, usage?: ModelTurn['usage']): Step =>
  () => ({ content, ...(usage ? { usage } : {}) });

/** A model that calls `calls` in one round. */
export const call =
  (calls: NonNullable<ModelTurn['toolCalls']>, usage?: ModelTurn['usage']): Step =>
  () => ({ toolCalls: calls, ...(usage ? { usage } : {}) });

/** Starts the server on an ephemeral port. */
export async function startFakeOpenAI(): Promise<FakeOpenAIServer> {
  let steps: Step[] = [];
  const requests: RecordedRequest[] = [];
  let seq = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { error: { message: err.message, type: 'server_error' } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
    } catch {
      send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    requests.push({ method: req.method, path, headers: req.headers, body });
    const step = steps.shift();
    if (!step) {
      send(res, 500, { error: { message: 'the fake model has no more scripted steps', type: 'server_error' } });
      return;
    }
    await play(step, body, res);
  }

  async function play(step: Step, body: ChatRequestBody, res: ServerResponse): Promise<void> {
    if (typeof step === 'function') {
      send(res, 200, completion(step(body), body.model, ++seq));
    } else if ('delayMs' in step) {
      // The client may give up first: stop waiting as soon as it hangs up.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, step.delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!res.writableEnded && !res.destroyed) await play(step.next, body, res);
    } else {
      send(res, step.status, { error: { message: step.message ?? `scripted HTTP ${step.status}`, type: 'server_error' } });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(next) {
      steps = [...next];
      requests.length = 0;
    },
    remaining: () => steps.length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function completion(turn: ModelTurn, model: string, n: number): Record<string, unknown> {
  const toolCalls: WireToolCall[] = (turn.toolCalls ?? []).map((c, i) => ({
    id: `call_${n}_${i}`,
    type: 'function',
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
  }));
  const prompt = turn.usage?.prompt ?? 100;
  const completionTokens = turn.usage?.completion ?? 10;
  return {
    id: `chatcmpl-fake-${n}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.content ?? null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
