// The incident chat and "ask" over a scripted OpenAI-compatible endpoint: grounded answers whose
// cited ids are checked (one repair round for invented ones), queries validated (one repair round
// for invalid ones), and the deterministic answers standing in when the endpoint fails.
import { afterEach, describe, expect, it } from 'vitest';
import { buildIncidentFixture } from '../../src/analyst/__fixtures__/incident-fixture.ts';
import { LlmAnalyst } from '../../src/analyst/llm-analyst.ts';
import {
  type ChatRequest,
  type ScriptedServer,
  type ScriptedTurn,
  startScriptedServer,
} from './scripted-openai-server.ts';

const finance = { kind: 'units', units: ['finance'] } as const;
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const turns =
  (...list: ScriptedTurn[]) =>
  (_request: ChatRequest, index: number): ScriptedTurn =>
    list[Math.min(index, list.length - 1)]!;

const question = [{ role: 'user', content: 'Which process dumped LSASS?' }] as const;

describe('incident chat over an LLM', () => {
  it('answers from tool results with citations that resolve', async () => {
    server = await startScriptedServer(
      turns(
        { toolCalls: [{ name: 'process_tree', arguments: { host: 'fin-ws007' } }] },
        {
          toolCalls: [
            {
              name: 'answer',
              arguments: { answer: 'procdump.exe, started by PowerShell [E2].', eventIds: ['E2'], alertIds: ['A2'] },
            },
          ],
        },
      ),
    );
    const fixture = buildIncidentFixture();
    const answer = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'qwen' }).chat(
      finance,
      fixture.incidentId,
      question,
    );
    expect(answer.answer).toContain('procdump.exe');
    expect(answer.citations).toEqual({ total: 2, valid: 2, invalidIds: [] });
    expect(answer.toolTrace.map((entry) => entry.tool)).toEqual(['process_tree']);
    expect(answer.generator).toMatchObject({ kind: 'llm', model: 'qwen', promptVersion: 'chat-1', inputTokens: 2000 });
    // The question reached the model as the user's turn; tool data came back delimited.
    expect(JSON.stringify(server.requests[0]!.messages.at(-1))).toContain('Which process dumped LSASS?');
    expect(String(server.requests[1]!.messages.find((message) => message.role === 'tool')!.content)).toMatch(
      /^<tool_output>/,
    );
  });

  it('asks once to repair invented or foreign ids, and flags what stays invalid', async () => {
    server = await startScriptedServer(
      turns(
        { toolCalls: [{ name: 'answer', arguments: { answer: 'It was X1.', eventIds: ['X1', 'E-NONE'] } }] },
        { toolCalls: [{ name: 'answer', arguments: { answer: 'procdump [E2]', eventIds: ['E2'] } }] },
      ),
    );
    const fixture = buildIncidentFixture();
    const answer = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).chat(
      finance,
      fixture.incidentId,
      question,
    );
    expect(answer.citations.invalidIds).toEqual([]);
    expect(String(server.requests[1]!.messages.at(-1)!.content)).toContain('X1, E-NONE');

    await server.close();
    server = await startScriptedServer(
      turns({ toolCalls: [{ name: 'answer', arguments: { answer: 'It was X1.', eventIds: ['X1'] } }] }),
    );
    const stubborn = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).chat(
      finance,
      fixture.incidentId,
      question,
    );
    // X1 exists, but in another unit: never a valid citation here.
    expect(stubborn.citations).toEqual({ total: 1, valid: 0, invalidIds: ['X1'] });
  });

  it('answers deterministically from the same tools when the endpoint is down, saying why', async () => {
    server = await startScriptedServer(turns({ status: 503 }));
    const fixture = buildIncidentFixture();
    const answer = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).chat(
      finance,
      fixture.incidentId,
      [{ role: 'user', content: 'What processes ran on fin-ws007?' }],
    );
    expect(answer.generator.kind).toBe('deterministic');
    expect(answer.generator.fallbackReason).toMatch(/^VIGIL_ERR_LLM_UNAVAILABLE/);
    expect(answer.answer).toContain('procdump.exe [E2]');
    expect(answer.citations.invalidIds).toEqual([]);
  });

  it('refuses an incident outside the caller scope without calling the model', async () => {
    server = await startScriptedServer(turns({ text: 'never' }));
    const fixture = buildIncidentFixture();
    await expect(
      new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).chat(
        { kind: 'units', units: ['legal'] },
        fixture.incidentId,
        question,
      ),
    ).rejects.toMatchObject({ code: 'VIGIL_ERR_NOT_FOUND' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('ask over an LLM', () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);

  it('returns the proposed query, validated, with its time range', async () => {
    server = await startScriptedServer(
      turns({
        toolCalls: [
          {
            name: 'propose_query',
            arguments: {
              query: 'event.code:4720 AND host.name:fin-dc01',
              from: 'now-7d',
              explanation: 'Accounts created on the DC this week',
            },
          },
        ],
      }),
    );
    const fixture = buildIncidentFixture();
    const suggestion = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).ask(
      finance,
      'which accounts were created on fin-dc01 this week?',
      { now },
    );
    expect(suggestion).toMatchObject({
      query: 'event.code:4720 AND host.name:fin-dc01',
      from: now - 7 * 86_400_000,
      to: now,
      validation: { ok: true },
      generator: { kind: 'llm', promptVersion: 'ask-1' },
    });
    expect(String(server.requests[0]!.messages[0]!.content)).toContain('query language');
  });

  it('asks once to repair a query that does not parse', async () => {
    server = await startScriptedServer(
      turns(
        { toolCalls: [{ name: 'propose_query', arguments: { query: 'user.name:(alice OR' } }] },
        { toolCalls: [{ name: 'propose_query', arguments: { query: 'user.name:alice' } }] },
      ),
    );
    const fixture = buildIncidentFixture();
    const suggestion = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).ask(
      finance,
      'what did alice do?',
      { now },
    );
    expect(suggestion.query).toBe('user.name:alice');
    expect(String(server.requests[1]!.messages.at(-1)!.content)).toMatch(/not valid: Expected a search term after OR/);
  });

  it('falls back to the deterministic translation when the model cannot give a valid query', async () => {
    server = await startScriptedServer(
      turns({ toolCalls: [{ name: 'propose_query', arguments: { query: 'source.port:http' } }] }),
    );
    const fixture = buildIncidentFixture();
    const suggestion = await new LlmAnalyst(fixture.data, { baseUrl: server.baseUrl, model: 'm' }).ask(
      finance,
      'failed logons for alice in the last 24 hours',
      { now },
    );
    expect(suggestion.generator).toMatchObject({ kind: 'deterministic' });
    expect(suggestion.generator.fallbackReason).toMatch(/^VIGIL_ERR_LLM_MALFORMED: the query is not valid/);
    expect(suggestion.query).toBe('event.category:authentication AND event.outcome:failure AND user.name:alice');
    expect(server.requests).toHaveLength(2);
  });
});
