// The OpenAI-compatible provider over real HTTP: a connection the server drops without answering (what a
// kept-alive connection closed as idle looks like) is retried once; a second drop is the provider's failure.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../src/llm/openai.js';

const completion = JSON.stringify({
  id: 'c1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hello' } }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
});

/** A server that drops the first `drops` requests' sockets, then answers. */
async function flaky(drops: number): Promise<{ server: Server; url: string; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    req.resume();
    if (n <= drops) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(completion);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests: () => n };
}

describe('OpenAI-compatible provider', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  it('sends a request once more when its connection is dropped unanswered', async () => {
    const f = await flaky(1);
    server = f.server;
    const provider = createOpenAIProvider({ apiKey: 'k', baseUrl: f.url, model: 'm', timeoutMs: 10_000 });
    const r = await provider.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [] });
    expect(r.message.content).toBe('hello');
    expect(f.requests()).toBe(2);
  });

  it('reports the provider unreachable when the connection drops twice', async () => {
    const f = await flaky(2);
    server = f.server;
    const provider = createOpenAIProvider({ apiKey: 'k', baseUrl: f.url, model: 'm', timeoutMs: 10_000 });
    await expect(provider.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [] })).rejects.toThrow(/could not be reached/);
    expect(f.requests()).toBe(2);
  });
});
