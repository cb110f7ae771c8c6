// A scripted OpenAI-compatible chat-completions server for tests: it answers each request with
// the next scripted turn (tool calls, text, an HTTP error, malformed JSON, or a delay) and keeps
// every request so tests can check what the model was shown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedTurn =
  | { readonly toolCalls: readonly { readonly name: string; readonly arguments: unknown }[] }
  | { readonly text: string }
  | { readonly status: number; readonly body?: string }
  | { readonly rawBody: string }
  | { readonly delayMs: number; readonly next: ScriptedTurn };

export interface ChatRequest {
  readonly model: string;
  readonly messages: { role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  readonly tools?: { function: { name: string } }[];
}

export interface ScriptedServer {
  readonly baseUrl: string;
  readonly requests: ChatRequest[];
  close(): Promise<void>;
}

export async function startScriptedServer(
  script: (request: ChatRequest, index: number) => ScriptedTurn,
): Promise<ScriptedServer> {
  const requests: ChatRequest[] = [];
  let callId = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', async () => {
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      let turn = script(parsed, requests.length - 1);
      while ('delayMs' in turn) {
        const { delayMs, next } = turn;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        turn = next;
        if (response.destroyed) return;
      }
      if ('status' in turn) {
        response
          .writeHead(turn.status, { 'content-type': 'application/json' })
          .end(turn.body ?? JSON.stringify({ error: { message: 'scripted failure' } }));
        return;
      }
      if ('rawBody' in turn) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(turn.rawBody);
        return;
      }
      const message =
        'toolCalls' in turn
          ? {
              role: 'assistant',
              content: null,
              tool_calls: turn.toolCalls.map((call) => ({
                id: `call_${++callId}`,
                type: 'function',
                function: {
                  name: call.name,
                  arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
                },
              })),
            }
          : { role: 'assistant', content: turn.text };
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices: [{ index: 0, message, finish_reason: 'toolCalls' in turn ? 'tool_calls' : 'stop' }],
          usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
